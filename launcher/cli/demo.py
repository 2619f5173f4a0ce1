"""`demo`: start -> ready -> one synthesis -> stop, on a built-in stand-in server."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Optional

import typer

from launcher.cli.app import app, t
from launcher.cli import common


@app.command("demo", help="help.demo", short_help="help.demo.short")
def demo_command(
    v1: bool = typer.Option(False, "--v1", help="help.demo.v1"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="help.demo.out"),
    play: bool = typer.Option(False, "--play", help="help.opt.play"),
    load_seconds: float = typer.Option(2.0, "--load-seconds", help="help.demo.load_seconds"),
    keep: bool = typer.Option(False, "--keep", help="help.demo.keep"),
    release: Optional[str] = typer.Option(None, "--release", help="help.demo.release"),
    as_json: bool = typer.Option(False, "--json", help="help.opt.json"),
) -> None:
    """start -> ready -> synthesis -> stop on a stand-in server (help: help.demo)."""
    from contextlib import nullcontext
    from dataclasses import asdict

    from launcher import ui
    from launcher.cli.serverlog import console_lines
    from launcher.demo.run import run_demo

    workdir = Path(tempfile.mkdtemp(prefix="sovits-launch-demo-"))
    wav = out or Path.cwd() / "demo.wav"  # kept: the point of a demo is to hear it
    if not as_json:
        ui.warn(t("demo.standin_notice"))
    progress = ui.Progress(t("demo.loading"))
    try:
        with progress if not as_json else nullcontext():

            def step(key: str, params: dict) -> None:
                if key == "demo.ready":
                    progress.stop()
                if not as_json:
                    (ui.success if key in ("demo.ready", "demo.spoke", "demo.saved", "demo.stopped") else ui.line)(t(key, **params))

            result = run_demo(
                workdir,
                layout=common.home(),
                api="v1" if v1 else "v2",
                load_seconds=load_seconds,
                release=release,
                out=wav,
                on_step=step,
                on_line=None if as_json else console_lines(),
                on_tick=progress.tick,
            )
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
    if as_json:
        ui.emit_json("demo", asdict(result))
    else:
        ui.line(t("demo.done"))
    if play:
        from launcher.cli.xiaozhi_cmd import play_file

        play_file(wav)
