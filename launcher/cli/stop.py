"""`stop`: end a server's whole process tree and confirm its port is free."""

from __future__ import annotations

from typing import Optional

import typer

from launcher.cli.app import app, t
from launcher.cli import common


@app.command("stop", help="help.stop", short_help="help.stop.short")
def stop_command(
    name: Optional[str] = typer.Argument(None, help="help.opt.profile"),
    port: Optional[int] = typer.Option(None, "--port", "-p", help="help.stop.port", callback=common.port_option),
    all_: bool = typer.Option(False, "--all", help="help.stop.all"),
) -> None:
    """Stop a server's whole tree and confirm its port is free (help: help.stop)."""
    from launcher import ui
    from launcher.errors import BadInput
    from launcher.server.stopping import stop
    from launcher.cli.listing import show_registry_notices

    if not (name or port or all_):
        raise BadInput("stop.what")
    show_registry_notices(common.home())
    results = stop(common.home(), profile=name, port=port, all_servers=all_)
    if not results:
        ui.line(t("stop.none_running"))
    for r in results:
        if not r.ended:
            key = "stop.already_gone"
        else:
            key = "stop.stopped" if r.port_free else "stop.port_still_busy"
        ui.success(t(key, name=_title(r.profile), port=r.port, pid=r.pid))


def _title(profile_id: str) -> str:
    """The profile as start, status and list name it (纳西妲 (nahida))."""
    from launcher.errors import LauncherError

    try:
        found = common.profile(profile_id)
    except LauncherError:  # its file is gone or broken: the id is all there is
        return profile_id
    return common.label(found.name, found.display_name)
