"""`autostart`: start a profile when the user logs in (and undo it, and list what is registered)."""

from __future__ import annotations

from typing import Optional

import typer

from launcher.cli.app import app, t
from launcher.cli import common


@app.command("autostart", help="help.autostart", short_help="help.autostart.short")
def autostart_command(
    name: Optional[str] = typer.Argument(None, help="help.opt.profile"),
    remove: bool = typer.Option(False, "--remove", help="help.autostart.remove"),
    list_: bool = typer.Option(False, "--list", help="help.autostart.list"),
    as_json: bool = typer.Option(False, "--json", help="help.opt.json"),
) -> None:
    """Start a profile at login, restarted on crash (help: help.autostart)."""
    from launcher import ui
    from launcher.errors import BadInput
    from launcher.windows import autostart

    if list_:
        _list(as_json)
        return
    if not name:
        raise BadInput("autostart.what")
    if remove:
        for path in autostart.remove(name):
            ui.success(t("autostart.removed", path=str(path)))
        return
    layout = common.home()
    entry = autostart.register(autostart.plan(common.profile(name), layout, common.settings()))
    ui.success(t("autostart.registered", name=name, path=str(entry.path)))
    if entry.data is not None:
        ui.line(t("autostart.data_file", path=str(entry.data)))
    ui.line(t("autostart.runs", command=" ".join(entry.argv)))
    ui.line(t(f"autostart.next_{entry.kind}", unit=entry.path.name, name=entry.profile))


def _list(as_json: bool) -> None:
    from launcher import ui
    from launcher.windows import autostart

    found = autostart.entries()
    if as_json:
        ui.emit_json("autostart", [e.to_dict() for e in found])
        return
    if not found:
        ui.line(t("autostart.none", kind=autostart.kind()))
        return
    ui.table(
        [t("col.name"), t("autostart.col_kind"), t("autostart.col_file"), t("autostart.col_command")],
        [[e.profile, e.kind, str(e.path), " ".join(e.argv)] for e in found],
    )
