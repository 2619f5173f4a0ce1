"""`bat`: write double-click .bat files that start a profile (ASCII, CRLF, checked)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from launcher.cli.app import app, show_notice, t
from launcher.cli import common


@app.command("bat", help="help.bat", short_help="help.bat.short")
def bat_command(
    name: Optional[str] = typer.Argument(None, help="help.opt.profile"),
    every: bool = typer.Option(False, "--all", help="help.bat.all"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="help.bat.out"),
    file_name: Optional[str] = typer.Option(None, "--name", help="help.bat.name"),
    via: Optional[str] = typer.Option(
        None, "--via", help="help.bat.via"
    ),
    v1: bool = typer.Option(False, "--v1", help="help.bat.v1"),
    v2: bool = typer.Option(False, "--v2", help="help.bat.v2"),
    port: Optional[int] = typer.Option(None, "--port", "-p", help="help.bat.port", callback=common.port_option),
    root: Optional[Path] = typer.Option(None, "--root", help="help.opt.root"),
    as_json: bool = typer.Option(False, "--json", help="help.opt.json"),
) -> None:
    """Write double-click .bat files (help: help.bat)."""
    from launcher import ui
    from launcher.windows.batfile import write_bat
    from launcher.windows.batplan import plan_profiles
    from launcher.errors import BadInput

    if v1 and v2:
        raise BadInput("start.both_apis")
    extra = ["--v1"] if v1 else (["--v2"] if v2 else [])
    if port is not None:
        extra += ["--port", str(port)]
    plans, notices = plan_profiles(
        name,
        layout=common.home(),
        settings=common.settings(),
        every=every,
        root=root,
        out_dir=out,
        file_name=file_name,
        via=via,
        extra_args=extra,
    )
    results = [write_bat(plan) for plan in plans]  # every plan was checked before the first write
    if as_json:
        ui.emit_json(
            "bat",
            [
                {
                    "profile": plan.profile,
                    "path": str(result.path),
                    "status": result.status,
                    "backup": str(result.backup) if result.backup else None,
                    "via": plan.via,
                    "via_reason": plan.via_reason,
                    "by_filename": plan.by_filename,
                    "root_rel": plan.root_rel,
                    "command": plan.command,
                    "notices": [{"key": n.key, "params": n.params} for n in plan.notices],
                }
                for plan, result in zip(plans, results)
            ],
        )
        return
    for notice in notices:
        show_notice(notice)
    for plan, result in zip(plans, results):
        if result.status == "created":
            ui.success(t("bat.written", path=str(result.path)))
        elif result.status == "replaced":
            ui.success(t("bat.replaced", path=str(result.path), backup=str(result.backup)))
        else:
            ui.line(t("bat.unchanged", path=str(result.path)))
        how = t("bat.via." + plan.via)
        if plan.via_reason == "forced":
            how += " " + t("bat.via.forced")
        ui.line("  " + how)
        if plan.by_filename:
            ui.line("  " + t("bat.by_filename", name=plan.filename[: -len(".bat")]))
        for notice in plan.notices:
            show_notice(notice)
