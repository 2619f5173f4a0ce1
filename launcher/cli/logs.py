"""`logs`: show or follow a server's log file."""

from __future__ import annotations

import typer

from launcher.cli.app import app
from launcher.cli import common


@app.command("logs")
def logs_command(
    name: str = typer.Argument(..., help="角色配置名"),
    follow: bool = typer.Option(False, "--follow", "-f", help="持续显示新日志（Ctrl+C 结束）"),
    lines: int = typer.Option(40, "--lines", "-n", help="显示最后多少行"),
) -> None:
    """显示服务器的日志（-f 持续跟随）。"""
    import time

    from launcher import ui
    from launcher.server.logfiles import find_log, tail_lines
    from launcher.server.watch import LogReader

    path = find_log(common.home(), name)
    for line in tail_lines(path, lines):
        ui.raw(line)
    if follow:
        reader = LogReader(path, path.stat().st_size)
        try:
            while True:
                for line in reader.new_lines():
                    ui.raw(line)
                time.sleep(0.2)
        except KeyboardInterrupt:
            return
