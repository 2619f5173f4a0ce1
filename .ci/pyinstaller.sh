#!/usr/bin/env bash
# Builds the one-file executable from launcher.spec on Linux, from a fresh
# virtual environment, and runs it: `--help` and `demo`. This proves the spec
# (hidden imports, data files) is complete - build.bat uses the same spec on
# Windows. Needs python3 (3.9-3.13) with venv, and PyPI.
# Usage: .ci/pyinstaller.sh        (PYTHON=python3.11 .ci/pyinstaller.sh to pick one)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

PY=${PYTHON:-python3}
VENV=${VENV:-$repo/.venv-build}
t0=$(date +%s)
step() { echo "== pyinstaller.sh [$(( $(date +%s) - t0 )) s]: $*"; }
fail() { echo "pyinstaller.sh: FAILED: $*" >&2; exit 1; }

step "fresh virtual environment $VENV ($("$PY" --version 2>&1))"
rm -rf "$VENV"
"$PY" -m venv "$VENV" || fail "could not create a virtual environment with $PY"

step "pip install . pyinstaller"
"$VENV/bin/python" -m pip install --disable-pip-version-check -q . "pyinstaller>=6" \
    || fail "pip install . pyinstaller failed (see above)"

step "pyinstaller launcher.spec"
rm -rf dist/sovits-launch build/pyinstaller
"$VENV/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller launcher.spec \
    || fail "PyInstaller could not build launcher.spec (see above)"
[ -x dist/sovits-launch ] || fail "dist/sovits-launch was not produced"
echo "pyinstaller.sh: built dist/sovits-launch ($(du -h dist/sovits-launch | cut -f1))"

# Run it away from the checkout, without PYTHONPATH, with its own home, so it
# cannot borrow modules or settings from here.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
run() {
    local name=$1 limit=$2; shift 2
    local rc=0
    (cd "$scratch" && env -u PYTHONPATH SOVITS_LAUNCH_HOME="$scratch/home" NO_COLOR=1 \
        timeout "$limit" "$repo/dist/sovits-launch" "$@") >"$scratch/$name.log" 2>&1 || rc=$?
    cat "$scratch/$name.log"
    if [ "$rc" -ne 0 ]; then
        [ "$rc" -eq 124 ] && fail "dist/sovits-launch $* did not finish within $limit s"
        fail "dist/sovits-launch $* exited with $rc (output above)"
    fi
    [ -s "$scratch/$name.log" ] || fail "dist/sovits-launch $* printed nothing"
}

step "dist/sovits-launch --help"
run help 120 --help
step "dist/sovits-launch demo"
run demo 600 demo
step "OK"
