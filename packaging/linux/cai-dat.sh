#!/bin/sh
# Đưa DanhGia vào trình đơn ứng dụng của người dùng này (không cần quyền quản trị).
# Chạy từ thư mục đã giải nén:  ./cai-dat.sh        Gỡ khỏi trình đơn:  ./cai-dat.sh --go
# Chương trình vẫn nằm ở thư mục này; dữ liệu ở ~/.local/share/DanhGia (xem HUONG-DAN.txt).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/256x256/apps"
if [ "${1:-}" = "--go" ]; then
    rm -f "$apps/danhgia.desktop" "$icons/danhgia.png"
    echo "Đã gỡ DanhGia khỏi trình đơn. Dữ liệu không bị xóa."
    exit 0
fi
mkdir -p "$apps" "$icons"
cp "$here/danhgia.png" "$icons/danhgia.png"
# Exec needs the absolute path, quoted for the desktop-entry format.
sed "s|^Exec=.*|Exec=\"$here/DanhGia\"|" "$here/danhgia.desktop" > "$apps/danhgia.desktop"
chmod 644 "$apps/danhgia.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$apps" || true
echo "Đã thêm DanhGia vào trình đơn ứng dụng (mục Văn phòng)."
