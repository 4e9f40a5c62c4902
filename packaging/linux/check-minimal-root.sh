#!/bin/sh
# Run the built bundle on a bare Debian: no Python, no fonts, no fontconfig configuration, only
# the packages libgl1 and libegl1 (and what they depend on). Prints the self-test, saves the
# screenshot of the main window, and lists the system libraries the bundle loaded. Needs root,
# debootstrap and a Debian mirror; not part of CI (it downloads ~60 MB and takes minutes).
#
#   sudo packaging/linux/check-minimal-root.sh [dist/DanhGia] [/tmp/danhgia-minroot]
#   → /tmp/danhgia-minroot/root/cua-so.png
set -eu
bundle=$(cd "${1:-dist/DanhGia}" && pwd)
root=${2:-/tmp/danhgia-minroot}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

if [ ! -x "$root/usr/bin/apt-get" ]; then
    debootstrap --variant=minbase bookworm "$root" "$mirror"
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"
chroot "$root" sh -c 'apt-get install -y -qq --no-install-recommends libgl1 libegl1 >/dev/null'
for absent in python3 fontconfig-config fonts-dejavu-core; do
    if chroot "$root" dpkg -s "$absent" >/dev/null 2>&1; then
        echo "the root is not bare: $absent is installed" >&2
        exit 1
    fi
done
test ! -e "$root/usr/share/fonts" || { echo "the root has fonts" >&2; exit 1; }

rm -rf "$root/opt/DanhGia"
cp -a "$bundle" "$root/opt/DanhGia"
chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 \
    /opt/DanhGia/DanhGia --self-test --screenshot /root/cua-so.png
echo "screenshot: $root/root/cua-so.png"
echo "system libraries loaded (everything else came from the bundle), and their packages:"
libs=$(chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 LD_DEBUG=libs \
    /opt/DanhGia/DanhGia --self-test 2>&1 >/dev/null |
    sed -n 's/.*calling init: \(\/[^ ]*\).*/\1/p' | grep -v '^/opt/' | sort -u)
for lib in $libs; do
    echo "  $lib  ($(chroot "$root" dpkg -S "*/$(basename "$lib")" 2>/dev/null | cut -d: -f1 | head -1))"
done
