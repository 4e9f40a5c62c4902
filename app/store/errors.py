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
    def __init__(self, path: Path | object, revision: str) -> None:
        unchanged = "tệp chưa bị thay đổi" if isinstance(path, Path) else "dữ liệu chưa bị thay đổi"
        super().__init__(
            f"Cơ sở dữ liệu “{path}” được tạo bởi một phiên bản DanhGia mới hơn phiên bản này "
            f"(lược đồ {revision}). Hãy cài phiên bản mới để mở nó; {unchanged}."
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


class ChangedMeanwhile(StoreError):
    """Another client changed a row this unit of work had read, in the moment before it wrote
    it (a shared database): nothing was written."""

    def __init__(self) -> None:
        super().__init__(
            "Không lưu được: người khác vừa thay đổi đúng bản ghi này cùng lúc. Chưa ghi gì; "
            "hãy xem lại bản mới rồi làm lại."
        )


class TextTooLong(StoreError):
    """A text longer than its column holds (``app.store.text_limits``): refused before it is
    written, on a file as on a server, the unit of work rolled back whole."""

    def __init__(self, label: str, limit: int, text: str) -> None:
        start = text[:40].rstrip()
        super().__init__(
            f"{label} dài {len(text)} ký tự, quá giới hạn {limit} ký tự (“{start}…”). "
            "Hãy rút gọn rồi lưu lại; chưa có gì được lưu."
        )
        self.label = label
        self.limit = limit


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


# ---- a database on a PostgreSQL server (app/store/server.py) ---------------------------------
# Each names the server by its address without the password (ServerTarget.display).


class ServerError(StoreError):
    """A problem with a database on a server: *target* is its address as shown to the user."""

    def __init__(self, target: object, message: str) -> None:
        Exception.__init__(self, message)  # not super(): a subclass may also be a file error
        self.target = str(target)
        self.path = self.target  # what the file errors call it, for code that shows either


class ServerAddressInvalid(ServerError):
    def __init__(self, target: object, detail: str) -> None:
        super().__init__(
            target,
            f"Địa chỉ máy chủ cơ sở dữ liệu “{target}” không dùng được: {detail}. Địa chỉ có "
            "dạng postgresql://người_dùng@máy_chủ:cổng/tên_cơ_sở_dữ_liệu, ví dụ "
            "postgresql://danhgia@192.168.1.10:5432/danhgia.",
        )
        self.detail = detail


class ServerUnreachable(ServerError):
    """No answer from the server: a wrong address or port, the server stopped, the network."""

    def __init__(self, target: object, detail: str = "") -> None:
        why = f" ({detail})" if detail else ""
        super().__init__(
            target,
            f"Không kết nối được máy chủ cơ sở dữ liệu “{target}”{why}. Hãy kiểm tra địa chỉ, "
            "cổng và đường mạng, hoặc hỏi người quản trị máy chủ xem máy chủ có đang chạy "
            "không. Chưa có gì bị thay đổi.",
        )
        self.detail = detail


class ServerLoginRefused(ServerError):
    """The server answered, and refused the user: a wrong or missing password, no rights."""

    def __init__(self, target: object, user: str) -> None:
        super().__init__(
            target,
            f"Máy chủ cơ sở dữ liệu “{target}” không cho người dùng “{user}” đăng nhập: sai "
            "mật khẩu, chưa có mật khẩu hoặc chưa được cấp quyền. DanhGia lấy mật khẩu từ kho "
            "mật khẩu của hệ điều hành, hoặc từ biến môi trường DANHGIA_DB_PASSWORD "
            "(PGPASSWORD); hãy kiểm tra mật khẩu ở đó hoặc hỏi người quản trị máy chủ. Chưa "
            "có gì bị thay đổi.",
        )
        self.user = user


class ServerDatabaseMissing(ServerError, DatabaseMissing):
    """The server has no database of that name, or it holds nothing of DanhGia's yet."""

    def __init__(self, target: object, dbname: str, *, empty: bool = False) -> None:
        if empty:
            why = f"cơ sở dữ liệu “{dbname}” trên máy chủ còn trống, chưa có dữ liệu DanhGia"
        else:
            why = (
                f"máy chủ không có cơ sở dữ liệu “{dbname}”; người quản trị máy chủ tạo nó "
                f"(createdb {dbname}) rồi mở lại"
            )
        ServerError.__init__(self, target, f"Không tìm thấy cơ sở dữ liệu “{target}”: {why}.")
        self.dbname = dbname


class ServerDatabaseForeign(ServerError):
    def __init__(self, target: object) -> None:
        super().__init__(
            target,
            f"Cơ sở dữ liệu “{target}” trên máy chủ đã có những bảng không do DanhGia tạo ra; "
            "DanhGia không ghi vào đó. Hãy dùng một cơ sở dữ liệu trống dành riêng cho "
            "DanhGia. Chưa có gì bị thay đổi.",
        )


class ServerConnectionLost(ServerError):
    """The connection broke while working: what was being saved was not saved."""

    def __init__(self, target: object) -> None:
        super().__init__(
            target,
            f"Mất kết nối tới máy chủ cơ sở dữ liệu “{target}” nên chưa lưu được thay đổi vừa "
            "rồi; những gì đã lưu trước đó vẫn nguyên vẹn trên máy chủ. Hãy kiểm tra đường "
            "mạng rồi làm lại.",
        )


class ServerKeepsItsOwnBackups(ServerError):
    """A backup or restore was asked of a database on a server: that is the server's job."""

    def __init__(self, target: object, dbname: str, host: str, port: int, user: str) -> None:
        super().__init__(
            target,
            f"Cơ sở dữ liệu “{target}” nằm trên máy chủ PostgreSQL: việc sao lưu và khôi phục "
            "do người quản trị máy chủ làm bằng công cụ của máy chủ, DanhGia không sao lưu nó "
            "ra tệp. Ví dụ sao lưu: pg_dump -Fc -h "
            f"{host} -p {port} -U {user} -f danhgia.dump {dbname}; khôi phục: pg_restore.",
        )


class NotAFileDatabase(ServerError):
    """Something that works on a database file only was asked of a server database."""

    def __init__(self, target: object) -> None:
        super().__init__(
            target,
            "Việc này chỉ làm được với cơ sở dữ liệu là một tệp trên máy này; cơ sở dữ liệu "
            f"đang mở nằm trên máy chủ “{target}”.",
        )
