"""`xiaozhi` (write the TTS block into xiaozhi-server's data/.config.yaml) and `say`."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from launcher.cli.app import app, t
from launcher.cli import common
from launcher.cli.helptext import with_subcommands

# The words `xiaozhi` takes as its first argument, listed in its help.
SUBCOMMANDS = {
    "{name}": "help.xiaozhi.profile",
    "set-dir {folder}": "help.xiaozhi.set_dir",
    "check [{name}]": "help.xiaozhi.check",
}


@app.command("xiaozhi", help="help.xiaozhi", short_help="help.xiaozhi.short", cls=with_subcommands(SUBCOMMANDS))
def xiaozhi_command(
    name: Optional[str] = typer.Argument(None, help="help.xiaozhi.name"),
    folder: Optional[str] = typer.Argument(None, help="help.xiaozhi.folder"),
    dry_run: bool = typer.Option(False, "--dry-run", help="help.xiaozhi.dry_run"),
    advertise_host: Optional[str] = typer.Option(None, "--advertise-host", help="help.xiaozhi.advertise_host"),
    module: Optional[str] = typer.Option(None, "--xiaozhi-module", help="help.opt.xiaozhi_module"),
    undo: bool = typer.Option(False, "--undo", help="help.xiaozhi.undo"),
    restart: bool = typer.Option(False, "--restart", help="help.xiaozhi.restart"),
    python: Optional[Path] = typer.Option(None, "--python", help="help.xiaozhi.python"),
    text: Optional[str] = typer.Option(None, "--text", help="help.xiaozhi.text"),
    timeout: float = typer.Option(120.0, "--timeout", help="help.xiaozhi.timeout"),
) -> None:
    """Write a profile's TTS block into xiaozhi-server; `check` has xiaozhi's own code say one sentence (help: help.xiaozhi)."""
    from launcher import ui
    from launcher.cli import xiaozhi_flow as flow
    from launcher.xiaozhi import config as xiaozhi
    from launcher.xiaozhi.files import find_xiaozhi_dir
    from launcher.errors import BadInput
    from launcher.paths import save_settings

    settings = common.settings()
    if name == "set-dir":
        if folder is None:
            raise BadInput("xiaozhi.set_dir_needs_path")
        settings.xiaozhi_dir = str(find_xiaozhi_dir(Path(folder)))
        save_settings(settings)
        ui.success(t("xiaozhi.dir_saved", path=settings.xiaozhi_dir))
        show_deployment(Path(settings.xiaozhi_dir))
        return
    from launcher.xiaozhi.integrate import xiaozhi_dir

    xdir = xiaozhi_dir(settings)
    if name == "check":
        check_command(xdir, folder, python=python, text=text, timeout=timeout)
        return
    if undo:
        done = xiaozhi.undo(xdir)
        ui.success(t("xiaozhi.undone", path=str(done.path), backup=str(done.restored_from), saved=str(done.saved_current or "-")))
        flow.restart_or_say_how(xdir, restart=restart, layout=common.home())
        return
    if not name:
        if restart:
            flow.restart_or_say_how(xdir, restart=True, layout=common.home())
            return
        raise BadInput("xiaozhi.need_profile")
    from launcher.xiaozhi.integrate import running_plan

    plan = running_plan(common.profile(name), layout=common.home(), settings=settings)
    write_block(plan, xdir, advertise_host=advertise_host, module=module, dry_run=dry_run, restart=restart)


def show_deployment(xdir: Path) -> None:
    """How xiaozhi runs from this folder, and so what it will be given."""
    from launcher import ui
    from launcher.cli import xiaozhi_flow as flow
    from launcher.xiaozhi.files import deployment

    dep = deployment(xdir)
    if dep.kind == "docker":
        compose = dep.compose
        ui.line(t("xiaozhi.docker.found", compose=str(compose.file), service=compose.name, container=dep.container))
        flow.show_choice(flow.network_choice(xdir))


def check_command(xdir: Path, profile_name: Optional[str], *, python=None, text=None, timeout=120.0) -> None:
    """xiaozhi's own code synthesizes one sentence against the running server."""
    from launcher import ui
    from launcher.cli import xiaozhi_flow as flow

    target = None
    if profile_name:
        from launcher.xiaozhi import config as xiaozhi
        from launcher.xiaozhi.integrate import running_plan, xiaozhi_target

        profile = common.profile(profile_name)
        plan = running_plan(profile, layout=common.home(), settings=common.settings())
        choice = flow.network_choice(xdir)
        target = xiaozhi_target(plan, advertise_host=choice.advertise if choice else None)
        edit = xiaozhi.plan(xdir, target)
        if edit.changed and not edit.manager_mode:
            ui.warn(t("xiaozhi.check.not_this_profile", profile=profile.name, name=profile.title))
        text = text or flow._sentence(profile)
    report = flow.run_check(xdir, text=text or "你好，我是小智。", python=python, timeout=timeout, target=target)
    flow.raise_problem(report)


def write_block(plan, xdir: Path, *, advertise_host=None, module=None, dry_run=False, restart=False) -> None:
    """Plan, show and (unless a dry run) apply the xiaozhi edit."""
    from launcher import ui
    from launcher.cli import xiaozhi_flow as flow
    from launcher.xiaozhi import config as xiaozhi
    from launcher.xiaozhi.integrate import xiaozhi_target
    from launcher.xiaozhi.network import reachable_bind

    choice = None if advertise_host else flow.network_choice(xdir)
    if choice is not None:
        flow.show_choice(choice)
        if not reachable_bind(choice, plan.host):
            ui.warn(t("xiaozhi.net.rebind", profile=plan.profile.name, bind=plan.host, need=choice.bind))
    target = xiaozhi_target(plan, advertise_host=advertise_host or (choice.advertise if choice else None), module=module)
    edit = xiaozhi.plan(xdir, target)
    if advertise_host:
        ui.line(t("xiaozhi.advertise", url=edit.block.get("url", "")))
    if edit.ignored_params:
        ui.warn(t("xiaozhi.ignored", module=edit.module, names=", ".join(edit.ignored_params)))
    if edit.manager_mode:
        flow.show_manager(edit)
        return
    if not edit.changed:
        ui.line(t("xiaozhi.unchanged", path=str(edit.path)))
        if restart and not dry_run:
            flow.restart_or_say_how(xdir, restart=True, layout=common.home())
        return
    for line in edit.diff:
        ui.line(line, style="green" if line.startswith("+") else ("red" if line.startswith("-") else None))
    if dry_run:
        common.dry_run_note()
        return
    applied = xiaozhi.apply(edit)
    if edit.old_text is None:
        ui.success(t("xiaozhi.created", path=str(applied.path), module=edit.module))
    else:
        ui.success(
            t("xiaozhi.written", path=str(applied.path), module=edit.module, previous=edit.previous_module or "-",
              backup=str(applied.backup or "-"))
        )
    flow.restart_or_say_how(xdir, restart=restart, layout=common.home())


@app.command("say", help="help.say", short_help="help.say.short")
def say_command(
    name: str = typer.Argument(..., help="help.opt.profile"),
    text: str = typer.Argument(..., help="help.say.text"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="help.say.out"),
    emotion: Optional[str] = typer.Option(None, "--emotion", help="help.say.emotion"),
    play: bool = typer.Option(False, "--play", help="help.opt.play"),
) -> None:
    """Synthesize one sentence as xiaozhi would, save and play it (help: help.say)."""
    from launcher import ui
    from launcher.xiaozhi.integrate import running_plan, say

    settings = common.settings()
    profile = common.profile(name)
    plan = running_plan(profile, layout=common.home(), settings=settings)
    target = out or Path.cwd() / f"{profile.name}-say.wav"
    with ui.Progress(t("say.waiting", name=common.label(profile.name, profile.display_name))):
        result = say(plan, text, target, settings=settings, emotion=emotion)
    ui.success(t("xiaozhi.say.saved", path=result.path, duration=result.seconds, rate=result.sample_rate, ttfb=result.ttfb_seconds))
    if play:
        play_file(Path(result.path))


def play_file(path: Path) -> None:
    """Play a WAV to its end (a spinner meanwhile); a note when it cannot be played."""
    from contextlib import nullcontext

    from launcher import play, ui
    from launcher.cli.app import show_notice

    player = play.player_name()
    with ui.Progress(t("play.playing", player=player)) if player else nullcontext():
        notice = play.play_wav(path)
    if notice is not None:
        show_notice(notice)
