"""`logs`: show or follow a server's log file."""

from __future__ import annotations

import typer

from launcher.cli.app import app
from launcher.cli import common


@app.command("logs", help="help.logs", short_help="help.logs.short")
def logs_command(
    name: str = typer.Argument(..., help="help.opt.profile"),
    follow: bool = typer.Option(False, "--follow", "-f", help="help.logs.follow"),
    lines: int = typer.Option(40, "--lines", "-n", help="help.logs.lines"),
) -> None:
    """Show or follow a server's log (help: help.logs)."""
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
