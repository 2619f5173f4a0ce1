"""`patch-config`: point upstream's own config.py defaults at a profile's weights (or undo it)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from launcher.cli.app import app, t
from launcher.cli import common


@app.command("patch-config", help="help.patch_config", short_help="help.patch_config.short")
def patch_config_command(
    name: Optional[str] = typer.Argument(None, help="help.patch_config.name"),
    root: Optional[Path] = typer.Option(None, "--root", help="help.opt.root"),
    dry_run: bool = typer.Option(False, "--dry-run", help="help.patch_config.dry_run"),
    restore: bool = typer.Option(False, "--restore", help="help.patch_config.restore"),
) -> None:
    """Point upstream's config.py defaults at a profile, or undo it (help: help.patch_config)."""
    from launcher import ui
    from launcher.gsv import configpy
    from launcher.errors import BadInput
    from launcher.server.plan import resolve_root

    settings = common.settings()
    backups = common.home().backups
    profile = common.profile(name) if name else None
    if profile is not None:
        root_path = resolve_root(profile, settings, root)
    elif restore and (root or settings.gsv_root):
        root_path = Path(root or settings.gsv_root).expanduser().resolve()
    elif restore:
        raise BadInput("configpy.no_root")
    else:
        raise BadInput("configpy.need_profile")

    if restore:
        plan = configpy.plan_restore(root_path, backups)
        _show_diff(plan.diff_lines)
        if plan.mode == "values":
            ui.line(t("configpy.restore_values_only", backup=str(plan.backup)))
        if dry_run:
            common.dry_run_note()
            return
        done = configpy.restore(root_path, backups)
        key = "configpy.restored" if done.changed else "configpy.restored_same"
        ui.success(t(key, path=str(done.path), backup=str(done.backup)))
        if done.saved:
            ui.line(t("configpy.saved_current", path=str(done.saved)))
        left = len(configpy.backups(root_path, backups))
        if left:
            ui.line(t("configpy.restore_more", count=left))
        return

    assert profile is not None
    gpt, sovits = configpy.profile_weights(profile, root_path)
    patch = configpy.plan_patch(root_path, gpt, sovits)
    if not patch.changed:
        ui.success(t("configpy.unchanged", path=str(patch.path), name=profile.title))
        ui.line(t("configpy.scope"))
        return
    _show_diff(patch.diff_lines)
    if dry_run:
        ui.line(t("configpy.scope"))
        common.dry_run_note()
        return
    saved = configpy.apply_patch(patch, backups)
    ui.success(t("configpy.patched", path=str(patch.path), name=profile.title))
    ui.line(t("configpy.backup", path=str(saved)))
    ui.line(t("configpy.undo", root=str(root_path)))
    ui.line(t("configpy.scope"))


def _show_diff(lines: list[str]) -> None:
    from launcher import ui

    for line in lines:
        if line.startswith(("---", "+++")):
            ui.line(line, style="bold")
        elif line.startswith("@@"):
            ui.line(line, style="cyan")
        elif line.startswith("-"):
            ui.line(line, style="red")
        elif line.startswith("+"):
            ui.line(line, style="green")
        else:
            ui.line(line)
