#!/usr/bin/env bash
# The tools `make package-windows` and `make package-windows-test` need on Debian 12 / Ubuntu:
# Wine (64- and 32-bit: Inno Setup's compiler is a 32-bit program), MinGW for the two stand-in
# DLLs of the test prefix (packaging/windows/wine/), npm for Inno Setup, Xvfb for its wizard.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO dpkg --add-architecture i386
# A mirror part-way through a sync fails one index (often the security suite's i386 one, which
# this script handles below anyway): retry, then go on with the lists apt has.
for attempt in 1 2 3; do
    if $SUDO apt-get update -qq; then break; fi
    echo "apt-get update failed (attempt $attempt); retrying" >&2
    sleep $((attempt * 10))
done
# npm from Debian only where none is installed: Debian's npm conflicts with a Node.js that came
# from elsewhere (NodeSource's packages carry their own npm).
npm=""
command -v npm >/dev/null 2>&1 || npm=npm
$SUDO apt-get install -y -qq --no-install-recommends \
    wine wine64 gcc-mingw-w64-x86-64 xvfb xauth $npm
if ! $SUDO apt-get install -y -qq --no-install-recommends wine32:i386; then
    # A mirror whose security suite has no i386 index offers the 32-bit libraries only at the
    # release's versions, while their 64-bit twins (which must match) came from the security
    # suite. Take both from the release, allowing the 64-bit ones to step back to it.
    echo "wine32:i386 did not install as is; retrying with the release's versions" >&2
    $SUDO apt-get install -y -qq --no-install-recommends --allow-downgrades -t bookworm \
        wine32:i386 $(apt-get install -s -t bookworm --no-install-recommends wine32:i386 2>&1 \
        | sed -n 's/.*Depends: \([a-z0-9.+-]*\):i386.*/\1/p' | sort -u | while read -r pkg; do
            version=$(apt-cache madison "$pkg:i386" | awk 'NR==1 {print $3}')
            [ -n "$version" ] && echo "$pkg=$version $pkg:i386=$version"
        done)
fi
