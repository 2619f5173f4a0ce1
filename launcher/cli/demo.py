"""`demo`: start -> ready -> one synthesis -> stop, on a built-in stand-in server."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Optional

import typer

from launcher.cli.app import app, t
from launcher.cli import common


@app.command("demo")
def demo_command(
    v1: bool = typer.Option(False, "--v1", help="演示 api.py（默认 api_v2.py）"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="把合成的 WAV 保存到这里"),
    load_seconds: float = typer.Option(2.0, "--load-seconds", help="模拟的模型加载时间（秒）"),
    keep: bool = typer.Option(False, "--keep", help="保留临时的演示整合包目录"),
    release: Optional[str] = typer.Option(None, "--release", help="模拟哪个整合包版本：20240821v2、20250228v3、20250422v4、20250606v2pro、main（默认）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """不需要安装 GPT-SoVITS：用内置的模拟服务器走一遍 启动→就绪→合成→停止。"""
    from dataclasses import asdict

    from launcher import ui
    from launcher.demo.run import run_demo

    workdir = Path(tempfile.mkdtemp(prefix="sovits-launch-demo-"))
    if not as_json:
        ui.warn(t("demo.standin_notice"))
    try:
        with ui.Progress(t("demo.loading")) as progress:

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
                out=out,
                on_step=step,
                on_line=None if as_json else ui.raw,
                on_tick=progress.tick,
            )
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
    if as_json:
        ui.emit_json("demo", asdict(result))
    else:
        ui.line(t("demo.done"))
