"""Tệp → the Excel workbooks: the members (organisations and members, in and out) and past
years' results (in, with a preview of what changes, and out). Each import is checked in full
before the user is asked, and written in one go on the background worker."""

from __future__ import annotations

import datetime as dt

from app.domain.formatting import format_int
from app.services.database import Database
from app.ui.common import ask
from app.ui.common.operations import Operations


def import_members(ops: Operations, db: Database, today: dt.date) -> None:
    window = ops.parent
    path = ask.open_file(window, "Nhập danh sách tổ chức và đảng viên", ask.EXCEL_FILTER)
    if path is None:
        return
    from app.services.roster import workbook as members_workbook

    def confirm(plan: members_workbook.ImportPlan) -> None:
        if not ask.confirm(
            window,
            "Nhập danh sách",
            f"Tệp “{path.name}” hợp lệ: {plan.describe()}.\n\n"
            "Mã đã có sẽ được cập nhật theo tệp, mã mới sẽ được thêm. Nhập ngay?",
            "Nhập",
        ):
            return
        ops.in_background(
            "Đang nhập danh sách…",
            lambda progress: members_workbook.apply_import(db, plan, today, progress),
            lambda result: _imported(ops, result.describe()),
        )

    ops.in_background(
        "Đang kiểm tra tệp…",
        lambda progress: members_workbook.plan_import(db, path, today, progress),
        confirm,
    )


def export_members(ops: Operations, db: Database, today: dt.date) -> None:
    window = ops.parent
    path = ask.save_file(
        window, "Xuất danh sách ra Excel", "danh-sach-dang-vien.xlsx", ask.EXCEL_FILTER
    )
    if path is None:
        return
    from app.services.roster import workbook as members_workbook

    ops.in_background(
        "Đang xuất danh sách…",
        lambda progress: members_workbook.export_members(db, path, today, progress),
        lambda count: ask.inform(
            window, "Đã xuất", f"Đã ghi {format_int(count)} đảng viên vào “{path}”."
        ),
    )


def import_results(ops: Operations, db: Database, today: dt.date, actor: str) -> None:
    window = ops.parent
    path = ask.open_file(window, "Nhập kết quả xếp loại các năm trước", ask.EXCEL_FILTER)
    if path is None:
        return
    from app.services.results import workbook as results_workbook

    def show(plan: results_workbook.ImportPlan) -> None:
        from app.ui.reports.results_dialog import ResultsPreview

        preview = ResultsPreview(plan, window)
        if not ops.ask(preview):
            return
        replace = preview.replace.isChecked()
        accept_names = preview.accept_names.isChecked()
        reopen = preview.reopen.text()
        ops.in_background(
            "Đang nhập kết quả…",
            lambda progress: results_workbook.apply_import(
                db,
                plan,
                replace=replace,
                accept_names=accept_names,
                reopen=reopen,
                actor=actor,
                progress=progress,
            ),
            lambda result: _imported(ops, result.describe()),
        )

    ops.in_background(
        "Đang kiểm tra tệp…",
        lambda progress: results_workbook.plan_import(db, path, today, progress),
        show,
    )


def export_results(ops: Operations, db: Database) -> None:
    window = ops.parent
    path = ask.save_file(window, "Xuất kết quả xếp loại", "ket-qua-xep-loai.xlsx", ask.EXCEL_FILTER)
    if path is None:
        return
    from app.services.results import workbook as results_workbook

    ops.in_background(
        "Đang xuất kết quả…",
        lambda progress: results_workbook.export_results(db, path, None, progress),
        lambda result: ask.inform(window, "Đã xuất", result.describe(path)),
    )


def _imported(ops: Operations, described: str) -> None:
    ops.saved()
    ask.inform(ops.parent, "Đã nhập", described)
