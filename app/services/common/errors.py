"""Errors the services raise for the user to read, in Vietnamese."""

from __future__ import annotations

import errno
import logging
from pathlib import Path

from app.domain.member_checks import FieldProblem

log = logging.getLogger(__name__)


class ServiceError(Exception):
    """Something the user asked for cannot be done; the message says why."""


class ValidationError(ServiceError):
    """The data entered has problems; each names its field."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.label}: {p.message}" for p in problems))


class NotFound(ServiceError):
    pass


class LockedError(ServiceError):
    """The record has been decided and locked."""


# What each operating-system error means, in the user's words: the reason, then what to do.
# The library's own text ("Permission denied", "[Errno 13] …") is English and goes to the log.
_OS_REASONS: dict[int, tuple[str, str]] = {
    errno.ENOENT: ("không tìm thấy tệp hoặc thư mục này", "Hãy kiểm tra lại tên và thư mục."),
    errno.EACCES: (
        "không có quyền: tệp hoặc thư mục chỉ cho đọc, hoặc thuộc về người dùng khác",
        "Hãy chọn một thư mục của mình (ví dụ Tài liệu/Documents), hoặc bỏ thuộc tính chỉ "
        "đọc, rồi làm lại.",
    ),
    errno.ENOSPC: ("ổ đĩa đã đầy", "Hãy giải phóng chỗ trống rồi làm lại."),
    errno.EROFS: (
        "ổ đĩa chỉ cho đọc (đĩa CD, thẻ nhớ đã gạt khóa ghi…)",
        "Hãy chọn một thư mục trên ổ đĩa khác.",
    ),
    errno.EISDIR: ("đây là một thư mục, không phải tệp", "Hãy chọn một tệp."),
    errno.ENOTDIR: (
        "một phần của đường dẫn là tệp, không phải thư mục",
        "Hãy kiểm tra lại tên và thư mục.",
    ),
    errno.EEXIST: ("đã có một tệp hoặc thư mục cùng tên", "Hãy chọn tên khác."),
    errno.ENAMETOOLONG: (
        "tên hoặc đường dẫn quá dài",
        "Hãy đặt tên ngắn hơn, hoặc chọn thư mục gần gốc ổ đĩa hơn.",
    ),
    errno.EBUSY: (
        "tệp đang được một chương trình khác dùng",
        "Hãy đóng chương trình đó rồi làm lại.",
    ),
    errno.EIO: (
        "ổ đĩa báo lỗi đọc/ghi (ổ đĩa hỏng, hoặc thẻ nhớ đã rút ra)",
        "Hãy kiểm tra ổ đĩa rồi làm lại.",
    ),
    errno.EMFILE: ("máy đang mở quá nhiều tệp", "Hãy đóng bớt chương trình rồi làm lại."),
    errno.EINVAL: (
        "tên tệp không hợp lệ",
        'Hãy bỏ các ký tự \\ / : * ? " < > | khỏi tên tệp rồi làm lại.',
    ),
}
_OS_SAME = {
    errno.EPERM: errno.EACCES,
    errno.EDQUOT: errno.ENOSPC,
    errno.EFBIG: errno.ENOSPC,
    errno.ETXTBSY: errno.EBUSY,
    errno.ENFILE: errno.EMFILE,
}
# Windows: another program holds the file open without sharing it (a sharing or lock
# violation); Python reports EACCES for it, but the advice is to close that program.
_WINDOWS_IN_USE = {32, 33}


def os_error_reason(error: OSError) -> tuple[str, str]:
    """Why *error* happened and what to do, in Vietnamese: ("ổ đĩa đã đầy", "Hãy giải phóng
    chỗ trống rồi làm lại."), for a message that names the file in its own words."""
    if getattr(error, "winerror", None) in _WINDOWS_IN_USE:
        return _OS_REASONS[errno.EBUSY]
    code = _OS_SAME.get(error.errno or 0, error.errno or 0)
    found = _OS_REASONS.get(code)
    if found is not None:
        return found
    number = f" số {error.errno}" if error.errno else ""
    return (
        f"hệ điều hành báo lỗi{number}",
        "Hãy thử lại; nếu vẫn lỗi, xem nhật ký trong thư mục dữ liệu của DanhGia.",
    )


def describe_os_error(
    error: OSError, path: Path | str | None = None, doing: str = "đọc/ghi"
) -> str:
    """A Vietnamese message for *error* that names the file (*path*, else the one in the
    error) and says what to do: "Không ghi được tệp “…”: ổ đĩa đã đầy. Hãy …". *doing* is
    the verb: "đọc", "ghi". The English detail goes to the log."""
    where = path if path is not None else error.filename
    log.info("%s: %r", where, error)
    reason, advice = os_error_reason(error)
    subject = f"tệp “{where}”" if where not in (None, "") else "tệp"
    return f"Không {doing} được {subject}: {reason}. {advice}"
