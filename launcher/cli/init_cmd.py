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
    no_probe: bool = typer.Option(False, "--no-probe", help="help.init.no_probe"),
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
    layout = common.home()
    hardware = None if no_probe else _prober(layout, quiet=as_json)
    result = initialize(root, layout=layout, settings=settings, python=python, overwrite=force, hardware=hardware)
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
    elif any(p.status != "kept" for p in result.profiles):
        show_hardware(result.hardware)
    for notice in result.notices:
        ui.warn(t(notice["key"], **notice["params"]))
    for p in result.profiles:
        key = {"created": "init.profile_created", "kept": "init.profile_kept", "replaced": "init.profile_replaced"}[
            p.status
        ]
        ui.line(t(key, name=p.name, path=p.path or ""))
        show_reference(p)
    for path in result.unpaired:
        ui.warn(t("init.unpaired", path=path))
    if result.profiles:
        first = result.profiles[0].name
        ui.line(t("init.next", name=first))


def _prober(layout, quiet: bool):
    """Asks the package's runtime once (cached with doctor's answers), with a spinner at a terminal."""

    def ask(info):
        from launcher import ui
        from launcher.doctor.fix import probe_runtime

        if info.python is None:
            return None
        if quiet:
            return probe_runtime(info.root, info.python, layout)
        with ui.Progress(t("init.probing")):
            return probe_runtime(info.root, info.python, layout)

    return ask


def show_hardware(hw) -> None:
    from launcher import ui

    if hw.why in ("not_probed",):
        return
    if hw.why in ("probe_failed", "no_torch", "unknown"):
        ui.warn(t("init.hardware." + hw.why, error=hw.error or "?"))
        return
    ui.line(t("init.hardware." + hw.why, gpu=hw.gpu or "", torch=hw.torch or "?"))


def show_reference(p) -> None:
    from launcher import ui
    from launcher.audio import seconds_text

    ref = p.reference or {}
    source = ref.get("source")
    if source == "folder":
        ui.line(t("init.ref_folder", path=ref["path"]))
    elif source == "training":
        ui.line(
            t(
                "init.ref_training",
                path=ref["path"],
                seconds=seconds_text(ref["seconds"], 1),
                why=t("init.ref_why." + ref["why"]),
                clips=ref["clips"],
                text_source=t("init.ref_text." + ref["text_source"]),
                lang=ref.get("lang") or "zh",
            )
        )
    if p.needs_reference:
        reason = ref.get("reason")
        if reason and reason != "no_folder":
            ui.warn(t("init.training_unusable." + reason, name=p.name, folder=ref.get("folder") or "", clips=ref.get("clips", 0)))
        ui.warn(t("init.needs_reference", name=p.name))
