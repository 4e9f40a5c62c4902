"""Vietnamese for Qt's own words (standard buttons, the wizard, text menus, file dialogs).

Qt ships no Vietnamese translation, so a translator answers the strings users meet. Keys are
Qt's source texts; the context does not matter for these words.
"""

from __future__ import annotations

from PySide6.QtCore import QTranslator

_WORDS = {
    # QPlatformTheme / QDialogButtonBox / QMessageBox
    "OK": "Đồng ý",
    "&OK": "Đồng ý",
    "Cancel": "Hủy",
    "&Cancel": "Hủy",
    "Yes": "Có",
    "&Yes": "&Có",
    "No": "Không",
    "&No": "&Không",
    "Yes to &All": "Có với tất cả",
    "N&o to All": "Không với tất cả",
    "Save": "Lưu",
    "&Save": "&Lưu",
    "Save All": "Lưu tất cả",
    "Open": "Mở",
    "&Open": "&Mở",
    "Close": "Đóng",
    "&Close": "Đóng",
    "Apply": "Áp dụng",
    "Reset": "Đặt lại",
    "Restore Defaults": "Khôi phục mặc định",
    "Help": "Trợ giúp",
    "Discard": "Bỏ qua",
    "Don't Save": "Không lưu",
    "Close without Saving": "Đóng, không lưu",
    "Abort": "Dừng",
    "Retry": "Thử lại",
    "Ignore": "Bỏ qua",
    "Show Details...": "Xem chi tiết…",
    "Hide Details...": "Ẩn chi tiết",
    # QWizard
    "< &Back": "< &Quay lại",
    "&Next >": "&Tiếp tục >",
    "&Next": "&Tiếp tục",
    "&Finish": "&Hoàn tất",
    "Go Back": "Quay lại",
    "Continue": "Tiếp tục",
    "Commit": "Xác nhận",
    "Done": "Xong",
    # Text editing context menu
    "&Undo": "&Hoàn tác",
    "&Redo": "&Làm lại",
    "Cu&t": "&Cắt",
    "&Copy": "&Sao chép",
    "&Paste": "&Dán",
    "Delete": "Xóa",
    "Select All": "Chọn tất cả",
    "Copy &Link Location": "Sao chép địa chỉ liên kết",
    # QFileDialog (Qt's own dialog, used everywhere but on Windows: ui/common/ask.py). Qt 6's
    # source texts carry their mnemonic ("&Look in:"): without the "&" the key never matched
    # and the dialog stayed English.
    "&Look in:": "Thư &mục:",
    "Look in:": "Thư mục:",
    "File &name:": "Tên &tệp:",
    "Files of &type:": "&Loại tệp:",
    "Save As": "Lưu thành",
    "Find Directory": "Chọn thư mục",
    "&Choose": "&Chọn",
    "Directories": "Thư mục",
    "All files (*)": "Mọi tệp (*)",
    "Files": "Tệp",
    "Sidebar": "Nơi thường dùng",
    "List of places and bookmarks": "Các nơi thường dùng",
    "Go back": "Lùi lại",
    "Go forward": "Tiến tới",
    "Go to the parent directory": "Lên thư mục cha",
    "Create a New Folder": "Tạo thư mục mới",
    "Change to list view mode": "Xem dạng danh sách",
    "Change to detail view mode": "Xem dạng chi tiết",
    "Show ": "Hiện cột ",
    "Remove": "Bỏ khỏi danh sách",
    "Could not delete directory.": "Không xóa được thư mục.",
    "%1\nDirectory not found.\nPlease verify the correct directory name was given.": (
        "%1\nKhông thấy thư mục này.\nHãy kiểm tra lại tên thư mục."
    ),
    "%1\nFile not found.\nPlease verify the correct file name was given.": (
        "%1\nKhông thấy tệp này.\nHãy kiểm tra lại tên tệp."
    ),
    "'%1' is write protected.\nDo you want to delete it anyway?": (
        "“%1” đang được bảo vệ chống ghi.\nVẫn xóa?"
    ),
    "Invalid filename": "Tên tệp không dùng được",
    '<b>The name "%1" cannot be used.</b><p>Try using another name, with fewer characters '
    "or no punctuation marks.": (
        "<b>Không dùng được tên “%1”.</b><p>Hãy đặt tên khác, ngắn hơn hoặc không có dấu câu."
    ),
    "%1 File": "Tệp %1",
    "Alias": "Lối tắt",
    "Shortcut": "Lối tắt",
    "File name": "Tên tệp",
    "Files of type:": "Loại tệp:",
    "Back": "Lùi",
    "Forward": "Tiến",
    "Parent Directory": "Thư mục cha",
    "Create New Folder": "Tạo thư mục mới",
    "New Folder": "Thư mục mới",
    "List View": "Xem danh sách",
    "Detail View": "Xem chi tiết",
    "Name": "Tên",
    "Size": "Cỡ",
    "Type": "Loại",
    "Date Modified": "Ngày sửa",
    "My Computer": "Máy tính",
    "Computer": "Máy tính",
    "Recent Places": "Nơi dùng gần đây",
    "&Rename": "Đổi &tên",
    "&Delete": "&Xóa",
    "Show &hidden files": "Hiện tệp &ẩn",
    "&New Folder": "Thư mục &mới",
    "All Files (*)": "Mọi tệp (*)",
    "Directory:": "Thư mục:",
    "Drive": "Ổ đĩa",
    "File": "Tệp",
    "File Folder": "Thư mục",
    "Folder": "Thư mục",
    "Unknown": "Không rõ",
    "Are you sure you want to delete '%1'?": "Xóa “%1”?",
    "%1 already exists.\nDo you want to replace it?": "%1 đã có.\nThay thế tệp đó?",
    # QProgressDialog, QInputDialog, QColorDialog leftovers
    "Search": "Tìm",
}


class VietnameseQtTranslator(QTranslator):
    def translate(
        self,
        context: str,
        source_text: str,
        disambiguation: str | None = None,
        n: int = -1,
    ) -> str | None:
        # None (a null QString) means "not translated here": Qt then keeps its own text. An
        # empty string would blank every word this table does not know.
        return _WORDS.get(source_text)

    def isEmpty(self) -> bool:
        return False
