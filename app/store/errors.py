"""Errors of the storage layer, each carrying a Vietnamese message for the user."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """A problem with the database file that the user must be told about in plain words."""


class DatabaseInUse(StoreError):
    def __init__(self, path: Path, holder: str = "") -> None:
        who = f" ({holder})" if holder else ""
        super().__init__(
            f"Cơ sở dữ liệu “{path}” đang được mở bởi một chương trình DanhGia khác{who}. "
            "Hãy dùng cửa sổ đang mở, hoặc đóng nó rồi thử lại. Chưa có gì bị thay đổi."
        )
        self.path = path


class DatabaseMissing(StoreError):
    def __init__(self, path: Path) -> None:
        super().__init__(f"Không tìm thấy cơ sở dữ liệu “{path}”.")
        self.path = path


class DatabaseDamaged(StoreError):
    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(
            f"Tệp “{path}” bị hỏng hoặc không phải cơ sở dữ liệu DanhGia ({detail}). "
            "Tệp chưa bị thay đổi. Hãy khôi phục từ bản sao lưu gần nhất."
        )
        self.path = path
        self.detail = detail


class SchemaTooNew(StoreError):
    def __init__(self, path: Path, revision: str) -> None:
        super().__init__(
            f"Cơ sở dữ liệu “{path}” được tạo bởi một phiên bản DanhGia mới hơn phiên bản này "
            f"(lược đồ {revision}). Hãy cài phiên bản mới để mở nó; tệp chưa bị thay đổi."
        )
        self.path = path
        self.revision = revision


class DiskFull(StoreError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"Ổ đĩa chứa “{path}” đã đầy nên chưa lưu được thay đổi vừa rồi. Dữ liệu đã lưu "
            "trước đó vẫn nguyên vẹn. Hãy giải phóng chỗ trống rồi làm lại."
        )
        self.path = path


class DatabaseReadOnly(StoreError):
    """The database file, or the folder it is in, cannot be written: a file marked read-only,
    a folder without write rights (another user's, a network share), a locked memory card."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"Không ghi được vào tệp “{path}”: tệp hoặc thư mục “{path.parent}” chỉ cho đọc. "
            "Hãy chép tệp sang một thư mục của mình (ví dụ thư mục Tài liệu/Documents) hoặc bỏ "
            "thuộc tính chỉ đọc của tệp và thư mục, rồi mở lại. Tệp chưa bị thay đổi."
        )
        self.path = path
