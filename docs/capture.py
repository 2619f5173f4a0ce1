"""Record `sovits-launch demo` as an SVG terminal capture for the README.

    python docs/capture.py              # writes docs/demo.svg (中文) and docs/demo-en.svg (English)
    python docs/capture.py --lang zh    # only one of them
    python docs/capture.py --out DIR    # write into another folder

It runs the real CLI in this process (`launcher.cli.run`), with one rich console
that records everything the launcher prints, standard output and standard error
alike, in the order it was printed, then saves it with `Console.save_svg`. The
launcher's home is a temporary folder, so your own settings, profiles and
running servers are never touched. Run it from a checkout; nothing needs installing
beyond the project's own dependencies.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # this checkout's launcher, installed or not

from rich.console import Console  # noqa: E402

from launcher import ui  # noqa: E402
from launcher.cli import run  # noqa: E402

TARGETS = {"zh": "demo.svg", "en": "demo-en.svg"}
WIDTH = 110  # columns: wide enough for the stand-in's log lines with a temporary path


def record(lang: str) -> Console:
    """Run `sovits-launch --lang <lang> demo` and return the console that recorded it."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        record=True,
        force_terminal=True,  # keep the colours the launcher gives its lines
        color_system="truecolor",
        width=WIDTH,
        highlight=False,
        emoji=False,
    )
    saved = sys.stdout, sys.stderr, ui._out, ui._err
    # ui.out() and ui.err() keep a console whose file is the current sys.stdout /
    # sys.stderr: point both streams at the recording console's file so the
    # launcher prints through it, in order, instead of making consoles of its own.
    sys.stdout = sys.stderr = buffer
    ui._out = ui._err = console
    try:
        console.print("> sovits-launch demo", style="bold", markup=False)
        code = run(["--lang", lang, "demo"])
    finally:
        sys.stdout, sys.stderr, ui._out, ui._err = saved
    if code != 0:
        sys.exit(f"sovits-launch demo exited with {code}:\n{console.export_text()}")
    return console


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=sorted(TARGETS), help="only this language (default: both)")
    parser.add_argument("--out", type=Path, default=HERE, help="folder for the SVG files (default: docs/)")
    args = parser.parse_args()
    os.environ.pop("NO_COLOR", None)
    with tempfile.TemporaryDirectory(prefix="sovits-launch-capture-") as home:
        os.environ["SOVITS_LAUNCH_HOME"] = home  # never the user's own settings or registry
        for lang in [args.lang] if args.lang else sorted(TARGETS):
            target = args.out / TARGETS[lang]
            record(lang).save_svg(str(target), title="sovits-launch demo")
            print(f"wrote {target}")


if __name__ == "__main__":
    main()
