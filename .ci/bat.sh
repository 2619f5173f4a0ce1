#!/usr/bin/env bash
# Installs what the Wine tests of the generated .bat files need (Debian/Ubuntu):
# Wine (64-bit, no recommends), the MinGW-w64 C compiler that builds the
# argv-recording stand-in (tests/wine/argrec.c), and the zh_CN / en_US UTF-8
# locales (Wine silently runs en-US when LANG names a locale that is not
# generated). Idempotent: installs only what is missing.
# Measured on Debian 12 (research/wine.md): apt ~16 s (wine ~11 s, mingw ~7 s),
# locales ~2 s; ~1.4 GiB of disk, plus ~0.7 GiB for the Wine prefix the tests make.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
t0=$(date +%s)

need=()
if ! command -v wine >/dev/null || ! command -v wineserver >/dev/null; then need+=(wine wine64); fi
if ! command -v x86_64-w64-mingw32-gcc >/dev/null; then need+=(gcc-mingw-w64-x86-64); fi
if ! command -v localedef >/dev/null || [ ! -e /usr/share/i18n/locales/zh_CN ]; then need+=(locales); fi
if [ ${#need[@]} -gt 0 ]; then
    echo "bat.sh: installing ${need[*]}"
    $SUDO apt-get update -q
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
fi

for loc in zh_CN en_US; do
    if ! locale -a 2>/dev/null | grep -qix "${loc}.utf8"; then
        echo "bat.sh: generating ${loc}.UTF-8"
        $SUDO localedef -i "$loc" -f UTF-8 "${loc}.UTF-8"
    fi
done

fail() { echo "bat.sh: FAILED: $*" >&2; exit 1; }
command -v wine >/dev/null || fail "wine is still missing after apt-get install"
command -v wineserver >/dev/null || fail "wineserver is still missing after apt-get install"
command -v x86_64-w64-mingw32-gcc >/dev/null || fail "x86_64-w64-mingw32-gcc is still missing"
for loc in zh_CN en_US; do
    locale -a 2>/dev/null | grep -qix "${loc}.utf8" || fail "locale ${loc}.UTF-8 could not be generated"
done
echo "bat.sh: $(WINEDEBUG=-all wine --version 2>/dev/null), $(x86_64-w64-mingw32-gcc -dumpversion) mingw, locales ok ($(( $(date +%s) - t0 )) s)"
