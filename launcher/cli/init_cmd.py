"""`init`: remember the GPT-SoVITS package, propose a profile per character."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from launcher.cli.app import app, t
from launcher.cli import common


@app.command("init", help="help.init", short_help="help.init.short")
def init_command(
    root: Path = typer.Argument(..., help="help.init.root"),
    xiaozhi: Optional[Path] = typer.Option(None, "--xiaozhi", help="help.init.xiaozhi"),
    python: Optional[Path] = typer.Option(None, "--python", help="help.opt.python"),
    force: bool = typer.Option(False, "--force", help="help.init.force"),
    as_json: bool = typer.Option(False, "--json", help="help.opt.json"),
) -> None:
    """Remember the package, write a profile per trained character (help: help.init)."""
    from dataclasses import asdict

    from launcher import ui
    from launcher.profiles.initialize import initialize

    settings = common.settings()
    if xiaozhi is not None:
        from launcher.xiaozhi.files import find_xiaozhi_dir

        settings.xiaozhi_dir = str(find_xiaozhi_dir(xiaozhi))
    result = initialize(root, layout=common.home(), settings=settings, python=python, overwrite=force)
    if as_json:
        data = asdict(result)
        data["profiles"] = [common.id_as_profile(p) for p in data["profiles"]]
        ui.emit_json("init", data)
        return
    ui.success(t("init.remembered", root=result.root))
    if result.python:
        ui.line(t("init.python", python=result.python))
    if settings.xiaozhi_dir:
        ui.line(t("init.xiaozhi", path=settings.xiaozhi_dir))
    if not result.profiles:
        ui.warn(t("init.no_characters", root=result.root))
    for p in result.profiles:
        key = {"created": "init.profile_created", "kept": "init.profile_kept", "replaced": "init.profile_replaced"}[
            p.status
        ]
        ui.line(t(key, name=p.name, path=p.path or ""))
        if p.needs_reference:
            ui.warn(t("init.needs_reference", name=p.name))
    for path in result.unpaired:
        ui.warn(t("init.unpaired", path=path))
    if result.profiles:
        first = result.profiles[0].name
        ui.line(t("init.next", name=first))
