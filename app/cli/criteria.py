"""The command line's criteria-set commands: which sets there are, and which one a year's
period scores by (issue 24) — what "Bộ tiêu chí…" on the board does in the window.

    danhgia criteria list [--year 2026]           the sets found (shipped, the province's)
    danhgia criteria choose --year 2026 ID        the period scores item by item by set ID
    danhgia criteria choose --year 2026 --none    totals typed in again (no entries may exist)
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from app.cli.acting import actor_of
from app.services.common.errors import ServiceError
from app.services.database import Database
from app.services.periods import criteria_sets
from app.services.periods import lifecycle as periods
from app.services.procedure import item_scores

Opener = Callable[[argparse.Namespace], Database]
EXIT_OK, EXIT_BLOCKED = 0, 1


def add_commands(
    commands: argparse._SubParsersAction, common: argparse.ArgumentParser, opener: Opener
) -> None:
    criteria = commands.add_parser(
        "criteria", parents=[common],
        help="bộ tiêu chí chấm điểm từng mục: xem danh sách, chọn cho một kỳ đánh giá",
    )  # fmt: skip
    actions = criteria.add_subparsers(dest="action", metavar="VIỆC", required=True)
    listing = actions.add_parser(
        "list", parents=[common], help="các bộ tiêu chí có (kèm bộ của kỳ đánh giá, nếu có --year)"
    )
    listing.add_argument("--year", type=int, help="năm đánh giá: chỉ các bộ dùng được năm đó")
    listing.set_defaults(run=lambda args: _list(args, opener))
    choose = actions.add_parser(
        "choose", parents=[common], help="chọn bộ tiêu chí cho kỳ đánh giá của một năm"
    )
    choose.add_argument("--year", type=int, required=True, help="năm đánh giá")
    which = choose.add_mutually_exclusive_group(required=True)
    which.add_argument("criteria_id", nargs="?", metavar="MÃ", help="mã bộ tiêu chí")
    which.add_argument(
        "--none", action="store_true", help="bỏ bộ tiêu chí: nhập hai tổng điểm như trước"
    )
    choose.set_defaults(run=lambda args: _choose(args, opener))


def _say(text: str) -> None:
    print(text, flush=True)


def _list(args: argparse.Namespace, opener: Opener) -> int:
    ruleset, chosen = None, None
    if args.year is not None:
        with opener(args) as db:
            try:
                ruleset = periods.ruleset_of(db, args.year)
            except ServiceError:
                ruleset = None  # no period yet: the sets for the year, without the fit
            kept = criteria_sets.period_criteria(db, args.year) if ruleset else None
            chosen = kept.criteria.id if kept is not None else None
    listing = criteria_sets.available(args.year, ruleset)
    if not listing.choices:
        _say("Không có bộ tiêu chí nào" + (f" cho năm {args.year}." if args.year else "."))
    for choice in listing.choices:
        years = f"{choice.first_year}–{choice.last_year or '…'}"
        origin = "của tỉnh" if choice.province else "kèm chương trình"
        mark = "  (kỳ đang dùng)" if choice.id == chosen else ""
        about = f"{years}, {origin}, độ tin cậy {choice.confidence}"
        _say(f"{choice.id}: {choice.name} — {about}{mark}")
        for problem in choice.mismatches:
            _say(f"    không dùng được với bộ quy tắc của kỳ: {problem}")
    if args.year is not None and ruleset is not None and chosen is None:
        _say(f"Kỳ đánh giá năm {args.year} chưa chọn bộ tiêu chí (nhập hai tổng điểm).")
    for error in listing.errors:
        _say(f"Không đọc được: {error}")
    return EXIT_OK


def _choose(args: argparse.Namespace, opener: Opener) -> int:
    criteria_id = None if args.none else args.criteria_id
    with opener(args) as db:
        try:
            kept = item_scores.choose_criteria(db, args.year, criteria_id, actor_of(args))
        except ServiceError as error:
            _say(f"Không đổi được: {error}")
            return EXIT_BLOCKED
    if kept is None:
        _say(f"Kỳ đánh giá năm {args.year}: nhập hai tổng điểm (không chấm từng mục).")
    else:
        _say(f"Kỳ đánh giá năm {args.year} chấm điểm từng mục theo “{kept.criteria.name}”.")
    return EXIT_OK
