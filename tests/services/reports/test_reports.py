"""The commune's report to the province: export, preview, store, replace, refuse."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.services.common.errors import ServiceError
from app.services.reports import importer, preview
from app.services.reports.file_format import PackageError
from app.services.reports.importer import read_report_file
from app.services.reports.preview import ImportKind
from app.services.reports.province import province_summary
from app.services.safekeeping import audit
from app.services.safekeeping.secure_file import SecureFileError, WrongPassword
from app.store.database import Database
from app.store.models import (
    CommuneReport,
    IssuedDocument,
    Organization,
    ReportedMember,
    ReportedOrganization,
)
from tests.services.reports.helpers import (
    ACTOR,
    PASSWORD,
    change_levels,
    content_of,
    export,
    rewrite,
    store,
    written,
)


@pytest.fixture
def commune(full_demo_path: Path) -> Path:
    """The demo commune's database (a copy of its own)."""
    return full_demo_path


def _counts(db: Database) -> dict[str, int]:
    with db.session() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (CommuneReport, ReportedOrganization, ReportedMember)
        }


# ---- a new report, the same again, a corrected one ------------------------------------------


def test_a_new_report_is_previewed_then_stored_and_logged(
    commune: Path, province_db: Database, decided_year: int, tmp_path: Path
) -> None:
    file = export(commune, decided_year, tmp_path / "xnt.dgr")
    package = read_report_file(file)
    plan = preview.plan_import(province_db, package)
    assert plan.kind is ImportKind.NEW and not plan.needs_reason
    lines = plan.lines()
    assert lines[0] == (
        f"Báo cáo mới: tỉnh chưa có báo cáo năm {decided_year} của Đảng bộ xã Na Tông."
    )
    assert any(line.startswith("Đảng viên: ") and "HTXSNV" in line for line in lines)
    assert any(line.startswith("Tổ chức đảng: 35;") for line in lines)
    assert any("Miễn sinh hoạt" in line for line in lines)
    assert _counts(province_db) == {
        "commune_reports": 0,
        "reported_organizations": 0,
        "reported_members": 0,
    }

    result = importer.apply_import(province_db, plan, actor=ACTOR)
    assert result.kind is ImportKind.NEW and result.revision == 1
    assert result.describe().startswith(f"Đã nhập báo cáo năm {decided_year} của Đảng bộ xã")
    counts = _counts(province_db)
    assert counts["commune_reports"] == 1
    assert counts["reported_members"] == len(package.data.members) > 500
    assert counts["reported_organizations"] == len(package.data.organizations) == 36
    entries = audit.entries(province_db, entity="commune_report")
    assert [(e.action, e.actor) for e in entries] == [("nhap_bao_cao_tinh", ACTOR)]
    assert entries[0].after is not None and entries[0].after["checksum"] == package.checksum
    assert audit.verify_chain(province_db) == []
    with province_db.session() as session:
        report = session.scalar(select(CommuneReport))
        assert report is not None
        assert (report.commune_code, report.year, report.status) == ("XNT", decided_year,
                                                                      "accepted")  # fmt: skip
        assert report.imported_by == ACTOR and report.audit_count > 0
        assert len(report.audit_head) == 64 and report.decided_on is not None
        groups = dict(
            session.execute(
                select(ReportedOrganization.summary_group, func.count()).group_by(
                    ReportedOrganization.summary_group
                )
            ).all()
        )
        assert groups == {"top": 1, "main": 35}
        grassroots = set(session.scalars(select(ReportedMember.grassroots_code)))
        assert grassroots == {"XNT"}


def test_the_same_report_again_writes_nothing(
    commune: Path, province_db: Database, decided_year: int, tmp_path: Path
) -> None:
    file = export(commune, decided_year, tmp_path / "xnt.dgr")
    store(province_db, file)
    before = written(province_db)
    plan = preview.plan_import(province_db, read_report_file(file))
    assert plan.kind is ImportKind.SAME and not plan.changes
    assert "cùng mã kiểm tra" in plan.lines()[0]
    result = importer.apply_import(province_db, plan, actor=ACTOR)
    assert "không ghi gì" in result.describe()
    assert written(province_db) == before


def test_a_corrected_report_replaces_the_stored_one_only_with_a_reason(
    commune: Path, province_db: Database, decided_year: int, tmp_path: Path
) -> None:
    first = export(commune, decided_year, tmp_path / "lan-1.dgr")
    store(province_db, first)
    changed = change_levels(commune, decided_year, "HTTNV", "HTNV", 2)
    second = export(commune, decided_year, tmp_path / "lan-2.dgr")
    plan = preview.plan_import(province_db, read_report_file(second))
    assert plan.kind is ImportKind.REPLACE and plan.needs_reason
    lines = plan.lines()
    assert "THAY THẾ" in lines[0]
    assert any(line.startswith("  - Đảng viên HTTNV: ") for line in lines)
    assert any(line.startswith("  - Đảng viên HTNV: ") for line in lines)
    assert {c.code for c in plan.level_changes} == set(changed)
    assert all((c.before, c.after) == ("HTTNV", "HTNV") for c in plan.level_changes)
    assert "2 đảng viên có thay đổi:" in lines

    before = written(province_db)
    with pytest.raises(ServiceError, match="phải ghi lý do"):
        importer.apply_import(province_db, plan, actor=ACTOR, reason="  ")
    assert written(province_db) == before

    result = importer.apply_import(province_db, plan, actor=ACTOR, reason="Sửa mức 2 đảng viên")
    assert result.kind is ImportKind.REPLACE and result.revision == 2
    with province_db.session() as session:
        assert session.scalar(select(func.count()).select_from(CommuneReport)) == 1
        report = session.scalar(select(CommuneReport))
        assert report is not None and report.replaced_reason == "Sửa mức 2 đảng viên"
        levels = dict(
            session.execute(
                select(ReportedMember.code, ReportedMember.level).where(
                    ReportedMember.code.in_(changed)
                )
            ).all()
        )
        assert levels == dict.fromkeys(changed, "HTNV")
        # The old rows went: one row per member of the report, not two.
        total = session.scalar(select(func.count()).select_from(ReportedMember))
        assert total == len(read_report_file(second).data.members)
    entries = audit.entries(province_db, entity="commune_report")
    assert [e.action for e in entries] == ["nhap_bao_cao_tinh", "thay_bao_cao_tinh"]
    assert "lý do: Sửa mức 2 đảng viên" in entries[1].summary
    before_entry, after_entry = entries[1].before, entries[1].after
    assert before_entry is not None and after_entry is not None
    assert before_entry["checksum"] != after_entry["checksum"]
    summary = province_summary(province_db, decided_year)
    assert summary.communes[0].revision == 2


def test_a_preview_out_of_date_is_not_applied(
    commune: Path, province_db: Database, decided_year: int, tmp_path: Path
) -> None:
    file = export(commune, decided_year, tmp_path / "xnt.dgr")
    plan = preview.plan_import(province_db, read_report_file(file))
    store(province_db, file)  # another clerk stored it in the meantime
    before = written(province_db)
    with pytest.raises(ServiceError, match="đã thay đổi từ lúc xem trước"):
        importer.apply_import(province_db, plan, actor=ACTOR)
    assert written(province_db) == before


# ---- refusals: nothing written ---------------------------------------------------------------


def _refused(
    province_db: Database, file: Path, error: type[Exception], match: str,
    password: str | None = None,
) -> None:  # fmt: skip
    before = written(province_db)
    with pytest.raises(error, match=match):
        store(province_db, file, password=password)
    assert written(province_db) == before


def test_a_damaged_or_foreign_file_is_refused_and_nothing_written(
    commune: Path, province_db: Database, decided_year: int, tmp_path: Path
) -> None:
    file = export(commune, decided_year, tmp_path / "xnt.dgr")
    data = file.read_bytes()
    flipped = tmp_path / "lat-mot-byte.dgr"
    middle = len(data) // 2
    flipped.write_bytes(data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :])
    _refused(province_db, flipped, PackageError, "bị hỏng|đã bị thay đổi")
    cut = tmp_path / "cat-cut.dgr"
    cut.write_bytes(data[: len(data) - 200])
    _refused(province_db, cut, PackageError, "bị hỏng hoặc không trọn vẹn")
    spaced = tmp_path / "them-dau-cach.dgr"
    spaced.write_bytes(data.replace(b'"members": [', b'"members":  [', 1))
    _refused(province_db, spaced, PackageError, "đã bị thay đổi sau khi xuất")
    other = tmp_path / "khong-phai.dgr"
    other.write_bytes(b"PK\x03\x04 not a report")
    _refused(province_db, other, PackageError, "không phải báo cáo lên tỉnh")
    missing = tmp_path / "khong-co.dgr"
    _refused(province_db, missing, PackageError, "Không tìm thấy tệp")


def test_an_encrypted_report_needs_its_password(
    commune: Path, province_db: Database, decided_year: int, tmp_path: Path
) -> None:
    file = export(commune, decided_year, tmp_path / "xnt.dgr", password=PASSWORD)
    assert b"Na T" not in file.read_bytes()
    _refused(province_db, file, importer.PackageNeedsPassword, "đặt mật khẩu")
    _refused(province_db, file, WrongPassword, "mật khẩu không đúng",
             password=PASSWORD + "x")  # fmt: skip
    result = store(province_db, file, password=PASSWORD)
    assert result.kind is ImportKind.NEW


def test_an_exchange_package_is_not_taken_for_a_report(
    commune: Path, province_db: Database, tmp_path: Path
) -> None:
    from app.services.safekeeping.secure_file import Kind, encrypt_bytes

    sealed = tmp_path / "goi.dgr"
    sealed.write_bytes(encrypt_bytes(b'{"format": "danhgia-goi-du-lieu"}', PASSWORD, Kind.PACKAGE))
    message = "là gói dữ liệu được mã hóa, không phải báo cáo lên tỉnh"
    _refused(province_db, sealed, SecureFileError, message, password=PASSWORD)


def test_an_undecided_year_is_not_exported_and_a_report_claiming_one_is_refused(
    commune: Path, province_db: Database, decided_year: int, tmp_path: Path
) -> None:
    with pytest.raises(ServiceError, match="chưa được quyết định"):
        export(commune, decided_year + 1, tmp_path / "nam-nay.dgr")
    assert not (tmp_path / "nam-nay.dgr").exists()
    file = export(commune, decided_year, tmp_path / "xnt.dgr")
    content = content_of(file)
    content["period"]["state"] = "open"
    _refused(province_db, rewrite(tmp_path / "open.dgr", content), PackageError,
             "chưa được quyết định")  # fmt: skip
    newer = rewrite(tmp_path / "newer.dgr", content_of(file), format_version=2)
    _refused(province_db, newer, PackageError, "phiên bản DanhGia mới hơn")


def _first_member_to(level: str) -> Callable[[dict[str, Any]], None]:
    def change(content: dict[str, Any]) -> None:
        member = next(m for m in content["members"] if m["evaluated"] and m["level"] != level)
        member["level"] = level

    return change


def _drop_top(content: dict[str, Any]) -> None:
    content["organizations"] = [o for o in content["organizations"] if o["parent"] is not None]


def _loop(content: dict[str, Any]) -> None:
    top = next(o for o in content["organizations"] if o["parent"] is None)
    child = next(o for o in content["organizations"] if o["parent"] == top["code"])
    top["parent"] = child["code"]


HOSTILE: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "figures that disagree with the lists": (
        _first_member_to("KHTNV"),
        "số liệu tổng hợp đảng viên không khớp",
    ),
    "a level the rule set does not have": (_first_member_to("XUATSAC"), "không có trong thang"),
    "members that are not a list": (
        lambda c: c.__setitem__("members", "tất cả"),
        "phải là danh sách",
    ),
    "a name too long": (
        lambda c: c["members"][0].__setitem__("full_name", "A" * 500),
        "dài quá 120 ký tự",
    ),
    "a number for a name": (
        lambda c: c["commune"].__setitem__("name", 12),
        "phải là chữ",
    ),
    "a cell not in the report": (
        lambda c: c["members"][0].__setitem__("cell", "KHONG-CO"),
        "chi bộ KHONG-CO không có trong báo cáo",
    ),
    "no top organisation": (_drop_top, "đúng một tổ chức cao nhất"),
    "a loop in the tree": (_loop, "đúng một tổ chức cao nhất|vòng lặp"),
    "a member twice": (
        lambda c: c["members"].append(dict(c["members"][0])),
        "hai lần",
    ),
    "a rule set that does not read": (
        lambda c: c["period"]["ruleset"].__setitem__("snapshot", "id = [1, 2"),
        "bộ quy tắc kèm theo không đọc được",
    ),
    "a decision that is not a PDF": (
        lambda c: c["decision"].__setitem__("pdf", "aGVsbG8="),
        "không phải tệp PDF",
    ),
    "a key missing": (lambda c: c.pop("audit"), "thiếu mục “audit”"),
}


@pytest.mark.parametrize("what", list(HOSTILE))
def test_a_hostile_or_mistaken_report_is_refused_with_a_clear_message(
    what: str, commune: Path, province_db: Database, decided_year: int,
    tmp_path: Path,
) -> None:  # fmt: skip
    file = export(commune, decided_year, tmp_path / "xnt.dgr")
    change, message = HOSTILE[what]
    content = content_of(file)
    change(content)
    _refused(province_db, rewrite(tmp_path / "sua.dgr", content), PackageError,
             message)  # fmt: skip


def test_a_file_too_large_is_refused_before_it_is_read(
    province_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "MAX_BYTES", 1000)  # the file's allowance: 1000 + 64 KiB
    big = tmp_path / "lon.dgr"
    big.write_bytes(b"x" * 70_000)
    _refused(province_db, big, PackageError, "quá lớn")


# ---- what travels with a report ------------------------------------------------------------


def test_the_decision_number_and_signed_pdf_travel_with_the_report(
    commune: Path, province_db: Database, decided_year: int, tmp_path: Path
) -> None:
    with Database.open(commune) as db, db.session() as session:
        top = session.scalar(select(Organization).where(Organization.code == "XNT"))
        assert top is not None
        session.add(
            IssuedDocument(issuer_id=top.id, kind="decision", year=decided_year, subject_id=top.id,
                           symbol="QĐ/ĐU", term=2025, number=3,
                           issued_on=dt.date(decided_year + 1, 1, 16), fingerprint="AB12-CD34")
        )  # fmt: skip
    pdf = tmp_path / "quyet-dinh-da-ky.pdf"
    pdf.write_bytes(b"%PDF-1.7\n% chu ky so\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")
    file = export(commune, decided_year, tmp_path / "xnt.dgr", decision_pdf=pdf)
    package = read_report_file(file)
    assert package.data.decision.number == "03-QĐ/ĐU"
    plan = preview.plan_import(province_db, package)
    assert any(f"Quyết định số 03-QĐ/ĐU ngày 16/01/{decided_year + 1}." in line
               for line in plan.lines())  # fmt: skip
    assert any(line.startswith("Kèm bản quyết định đã ký (PDF") for line in plan.lines())
    importer.apply_import(province_db, plan, actor=ACTOR)
    with province_db.session() as session:
        report = session.scalar(select(CommuneReport))
        assert report is not None
        assert report.decision_number == "03-QĐ/ĐU"
        assert report.decision_issued_on == dt.date(decided_year + 1, 1, 16)
        assert report.decision_pdf == pdf.read_bytes()
    with Database.open(commune) as db, db.session() as session:
        issued = session.scalar(select(IssuedDocument))
        assert issued is not None
        issued.number = 4
    again = export(commune, decided_year, tmp_path / "xnt-2.dgr")
    lines = preview.plan_import(province_db, read_report_file(again)).lines()
    assert "  - Số quyết định: 03-QĐ/ĐU → 04-QĐ/ĐU" in lines
    assert "  - Bản quyết định đã ký: báo cáo mới không gửi kèm" in lines
    assert "Không đảng viên nào đổi mức xếp loại." in lines
    not_pdf = tmp_path / "khong-phai.pdf"
    not_pdf.write_text("quyết định", encoding="utf-8")
    with pytest.raises(ServiceError, match="không phải tệp PDF"):
        export(commune, decided_year, tmp_path / "b.dgr", decision_pdf=not_pdf)


# ---- the province's figures ------------------------------------------------------------------


def test_a_commune_over_the_quota_is_listed(
    commune: Path, province_db: Database, decided_year: int, tmp_path: Path
) -> None:
    change_levels(commune, decided_year, "HTTNV", "HTXSNV", 60)
    store(province_db, export(commune, decided_year, tmp_path / "xnt.dgr"))
    summary = province_summary(province_db, decided_year)
    assert summary.quota_checked == 1
    (excess,) = summary.quota_exceeded
    assert (excess.commune_code, excess.org_code, excess.level) == ("XNT", "XNT", "HTXSNV")
    commune_figures = summary.communes[0].members
    assert excess.used == commune_figures.count("HTXSNV")
    assert excess.allowed == commune_figures.count("HTTNV") // 5
    assert excess.basis.startswith("20% của ") and excess.over > 0
    assert "Số HTXSNV trong mỗi tổ chức cơ sở đảng không quá 20%" in summary.quota_rule


def test_communes_known_but_not_reported_are_listed(
    commune_paths: dict[str, Path], province_db: Database, decided_year: int, tmp_path: Path
) -> None:
    store(province_db, export(commune_paths["XNT"], decided_year - 1, tmp_path / "a.dgr"))
    store(province_db, export(commune_paths["XMP"], decided_year, tmp_path / "b.dgr"))
    summary = province_summary(province_db, decided_year)
    assert [c.code for c in summary.communes] == ["XMP"]
    assert [(m.code, m.name, m.last_year) for m in summary.not_reported] == [
        ("XNT", "Đảng bộ xã Na Tông", decided_year - 1)
    ]
    assert summary.screening == ()  # XMP did not report the year before


def test_rejecting_a_report_is_logged_and_a_later_import_is_a_new_one(
    commune: Path, province_db: Database, decided_year: int, tmp_path: Path
) -> None:
    file = export(commune, decided_year, tmp_path / "xnt.dgr")
    package = read_report_file(file)
    with pytest.raises(ServiceError, match="Phải ghi lý do"):
        importer.reject_report(province_db, package, "", actor=ACTOR)
    said = importer.reject_report(province_db, package, "Thiếu chữ ký", actor=ACTOR)
    assert said.startswith("Đã từ chối báo cáo năm")
    with province_db.session() as session:
        report = session.scalar(select(CommuneReport))
        assert report is not None and (report.status, report.status_note) == (
            "rejected",
            "Thiếu chữ ký",
        )
    assert province_summary(province_db, decided_year).communes == ()
    plan = preview.plan_import(province_db, package)
    assert plan.kind is ImportKind.NEW and "đã bị từ chối (Thiếu chữ ký)" in plan.lines()[0]
    importer.apply_import(province_db, plan, actor=ACTOR)
    assert [c.code for c in province_summary(province_db, decided_year).communes] == ["XNT"]
    actions = [e.action for e in audit.entries(province_db, entity="commune_report")]
    assert actions == ["tu_choi_bao_cao_tinh", "nhap_bao_cao_tinh"]
