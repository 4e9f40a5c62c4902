#!/bin/sh
# A newcomer's machine, built from nothing: a bare Debian 12 root (debootstrap minbase) with
# only python3, python3-venv, python3-pip, make, git and ca-certificates; then the apt-get line
# exactly as the README gives it (read from README.md, so this checks the README too); then a
# clean clone of the repository's committed HEAD and `make test`, run as an ordinary user with
# a home nothing has touched. Prints PASS or FAIL (and exits 0 or 1).
#
#   sudo packaging/linux/check-fresh-machine.sh [REPOSITORY] [ROOT]
#
# REPOSITORY defaults to this checkout, ROOT to /tmp/danhgia-fresh-root (reused when it holds a
# root already; the clone and the user are made again each run). Needs root, debootstrap and a
# Debian mirror (DEBIAN_MIRROR), and PyPI for `make`'s venv; not part of CI: it downloads a few
# hundred MB and takes as long as the whole suite.
set -eu
repo=$(cd "${1:-$(dirname "$0")/../..}" && pwd)
root=${2:-/tmp/danhgia-fresh-root}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
user=newcomer

if [ "$(id -u)" -ne 0 ]; then
    echo "run as root (debootstrap, chroot)" >&2
    exit 2
fi
if [ ! -x "$root/usr/bin/apt-get" ]; then
    debootstrap --variant=minbase bookworm "$root" "$mirror"
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"

mounted=""
cleanup() {
    for point in $mounted; do umount -l "$root/$point" 2>/dev/null || true; done
}
trap cleanup EXIT
for point in proc sys dev dev/pts dev/shm; do
    mkdir -p "$root/$point"
    case $point in
        proc) mount -t proc proc "$root/proc" ;;
        sys) mount -t sysfs sys "$root/sys" ;;
        dev/shm) mount -t tmpfs shm "$root/dev/shm" ;;
        *) mount --bind "/$point" "$root/$point" ;;
    esac
    mounted="$point $mounted"
done

in_root() {
    chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
        DEBIAN_FRONTEND=noninteractive "$@"
}

echo "== what a newcomer starts with"
in_root apt-get update -qq
in_root apt-get install -y -qq --no-install-recommends \
    python3 python3-venv python3-pip make git ca-certificates >/dev/null

echo "== the README's apt-get line"
# The lines from "sudo apt-get install" to the end of that code block, joined, without sudo.
packages=$(sed -n '/^sudo apt-get install/,/^```/p' "$repo/README.md" | grep -v '^```' |
    sed 's/\\$//; s/^sudo apt-get install//' | tr '\n' ' ')
if [ -z "$packages" ]; then
    echo "FAIL: no 'sudo apt-get install' line in README.md" >&2
    exit 1
fi
echo "apt-get install $packages"
# shellcheck disable=SC2086 # the list is split into package names on purpose
in_root apt-get install -y -qq --no-install-recommends $packages >/dev/null

# A network that inspects TLS (a proxy with its own certificate authority) is this machine's
# business, not the project's: hand pip the certificates this machine trusts, if it names them.
host_ca=${PIP_CERT:-${SSL_CERT_FILE:-}}
if [ -n "$host_ca" ] && [ -f "$host_ca" ]; then
    cp "$host_ca" "$root/etc/ssl/host-ca.crt"
    printf '[global]\ncert = /etc/ssl/host-ca.crt\n' > "$root/etc/pip.conf"
fi

echo "== a clean clone, as an ordinary user with an empty home"
if in_root id "$user" >/dev/null 2>&1; then
    in_root userdel -r "$user" >/dev/null 2>&1 || true
fi
in_root useradd --create-home --shell /bin/sh "$user"
git clone --quiet --no-hardlinks "$repo" "$root/home/$user/danhgia"
in_root chown -R "$user:$user" "/home/$user/danhgia"
echo "commit: $(git -c safe.directory='*' -C "$root/home/$user/danhgia" log -1 --format='%h %s')"

echo "== make test"
if in_root su - "$user" -c 'cd danhgia && make test'; then
    echo "PASS: make test on a fresh Debian 12 with only the README's packages"
    exit 0
fi
echo "FAIL: make test on a fresh Debian 12 with only the README's packages"
exit 1
