"""`start`: the profile's server in the foreground (or --detach), ready when it really answers."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from launcher.cli.app import app, show_notice, t
from launcher.cli import common


@app.command("start", help="help.start", short_help="help.start.short")
def start_command(
    name: str = typer.Argument(..., help="help.opt.profile"),
    v1: bool = typer.Option(False, "--v1", help="help.opt.v1"),
    v2: bool = typer.Option(False, "--v2", help="help.opt.v2"),
    port: Optional[int] = typer.Option(None, "--port", "-p", help="help.start.port", callback=common.port_option),
    host: Optional[str] = typer.Option(None, "--host", help="help.start.host"),
    timeout: float = typer.Option(300.0, "--timeout", help="help.start.timeout"),
    detach: bool = typer.Option(False, "--detach", "-d", help="help.start.detach"),
    python: Optional[Path] = typer.Option(None, "--python", help="help.opt.python"),
    root: Optional[Path] = typer.Option(None, "--root", help="help.opt.root"),
    dry_run: bool = typer.Option(False, "--dry-run", help="help.start.dry_run"),
    restart: bool = typer.Option(False, "--restart", help="help.start.restart"),
    no_xiaozhi: bool = typer.Option(False, "--no-xiaozhi", help="help.start.no_xiaozhi"),
    advertise_host: Optional[str] = typer.Option(None, "--advertise-host", help="help.opt.advertise_host"),
    xiaozhi_module: Optional[str] = typer.Option(None, "--xiaozhi-module", help="help.opt.xiaozhi_module"),
    restart_xiaozhi: bool = typer.Option(False, "--restart-xiaozhi", help="help.start.restart_xiaozhi"),
    no_warmup: bool = typer.Option(False, "--no-warmup", help="help.start.no_warmup"),
    restart_on_crash: Optional[bool] = typer.Option(None, "--restart-on-crash/--no-restart-on-crash",
                                                    help="help.start.restart_on_crash"),
) -> None:
    """Start a profile's server and wait until it really answers (help: help.start)."""
    from launcher import ui
    from launcher.errors import EXIT_INTERRUPTED, BadInput, Interrupted
    from launcher.server.plan import plan_start, python_for_display
    from launcher.server.process import run
    from launcher.cli.listing import show_registry_notices

    if v1 and v2:
        raise BadInput("start.both_apis")
    api = "v1" if v1 else ("v2" if v2 else None)
    layout = common.home()
    settings = common.settings()
    profile = common.profile(name)
    if not no_xiaozhi:  # xiaozhi in Docker decides the bind and the advertised host
        from launcher.cli.xiaozhi_flow import start_hosts

        host, advertise_host = start_hosts(settings, profile, host, advertise_host)
    plan = plan_start(
        profile, layout=layout, settings=settings, api=api, host=host, port=port, python=python, root=root
    )
    # A warning about the address goes with the start that binds it, never with a switch.
    binding = [n for n in plan.notices if n.key == "start.network_bind"]
    for notice in plan.notices:
        if notice not in binding:
            show_notice(notice)
    script = plan.script.name
    if dry_run:
        for notice in binding:
            show_notice(notice)
        ui.line(t("start.dry_run", cwd=str(plan.root)))
        ui.line(python_for_display(plan.argv))
        if plan.infer_yaml_text:
            ui.line(t("start.dry_run_yaml", path=str(plan.infer_yaml)))
            ui.line(plan.infer_yaml_text.rstrip())
        common.dry_run_note()
        return
    show_registry_notices(layout)
    update_xiaozhi = (
        (lambda: _update_xiaozhi(plan, settings, advertise_host, xiaozhi_module, restart_xiaozhi))
        if not no_xiaozhi
        else (lambda: None)
    )
    if _switched_or_cleared(plan, layout, restart, timeout, settings, warm=not no_warmup):
        update_xiaozhi()
        return
    for notice in binding:
        show_notice(notice)
    from launcher.cli import supervise_cmd

    keep_up = profile.restart_on_crash if restart_on_crash is None else restart_on_crash
    warmed: dict = {}

    from launcher.cli.serverlog import console_lines

    title = common.label(profile.name, profile.display_name)
    on_line = console_lines()

    def on_ready(server) -> None:
        for line in server.log.new_lines():  # what it printed while answering: before "ready", not after
            on_line(line)
        ui.success(
            t(
                "warmup.ready" if "seconds" in warmed else "start.ready",
                name=title,
                script=script,
                url=plan.url,
                seconds=f"{server.ready_seconds:.1f}",
                warm=f"{warmed.get('seconds', 0):.1f}",
            )
        )
        update_xiaozhi()
        if detach:
            if keep_up:
                supervise_cmd.leave_supervisor(server, layout, python=python, timeout=timeout, warm=not no_warmup)
            ui.line(t("start.detached", name=profile.name, log=str(plan.log_path)))
        else:
            ui.line(t("supervise.foreground") if keep_up else t("start.foreground"))

    try:
        with ui.Progress(t("start.loading", name=title)) as progress:
            warm = None if no_warmup else supervise_cmd.make_warm(
                settings, progress=progress, on_line=on_line, on_failure=show_notice, results=warmed)
            keep = None
            if keep_up and not detach:
                keep = supervise_cmd.supervisor(layout, settings, python=python, timeout=timeout, warm=not no_warmup,
                                                detach=False, on_line=on_line).keep
            result = run(
                plan,
                layout=layout,
                detach=detach,
                timeout=timeout,
                on_line=on_line,
                on_tick=progress.tick,
                on_ready=lambda server: (progress.stop(), on_ready(server)),
                on_failure=show_notice,
                on_spawn=lambda server: ui.line(
                    t("start.starting", name=title, script=script, port=plan.port, log=str(plan.log_path))
                ),
                warm=warm,
                keep=keep,
            )
    except Interrupted as exc:
        # Ctrl+C (or a closed window) is not an error: one line, what was stopped (after a
        # switch: whom it served last) and whether its port is free; exit 130.
        ui.after_interrupt(t(exc.key, **{**exc.params, "name": on_line.current or title}), ok=exc.key == "start.interrupted")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    if result.stop_request:
        # Ended by `sovits-launch stop` from another window: done as asked, exit 0.
        key = "start.stopped_on_request" if result.ready_seconds is not None else "start.stopped_while_loading"
        ui.success(t(key, name=on_line.current or title, port=plan.port, by=result.stop_request.get("by", "?")))
        return
    if not detach:
        ui.line(t("start.exited", name=on_line.current or title, code=result.exit_code))


def _switched_or_cleared(plan, layout, restart: bool, timeout: float, settings=None, warm: bool = True) -> bool:
    """A running server of ours on this port: swap its weights (seconds instead of
    minutes) when nothing but the weights and the reference change, or with --restart
    stop it first. A change of address, API, package, device or precision is refused
    with what differs. True when the switch is done."""
    from launcher import ui
    from launcher.errors import PortBusy
    from launcher.server.registry import Registry
    from launcher.server.stopping import stop_server
    from launcher.server.switch import already_serving, differences, keep, running_on_port, switch, wait_until_ready
    from launcher.server.watch import live_state

    registry = Registry(layout.registry_file)
    target = running_on_port(plan, registry)
    if target is None:
        return False
    title = common.label(target.profile, target.display_name)
    if restart:
        stop_server(target, registry)
        return False
    if target.state == "loading" and target.ready_at is None:
        # Another start of it is still in progress (not a reload after a restart): say so.
        raise PortBusy("port.ours", port=plan.port, profile=target.profile, pid=target.pid)
    changes = differences(plan, target)
    if changes:
        raise PortBusy("switch.settings_differ", port=plan.port, profile=title, name=plan.profile.title,
                       changes="; ".join(changes))
    if target.state == "stopping":
        raise PortBusy("switch.stopping", port=plan.port, profile=title)
    if live_state(target) != "ready":
        ui.line(t("switch.waiting", name=title, port=plan.port))
        with ui.Progress(t("start.loading", name=title)) as progress:
            target = wait_until_ready(target, registry, timeout=timeout, on_tick=progress.tick)
    name = common.label(plan.profile.name, plan.profile.display_name)
    if already_serving(plan, target):
        keep(plan, target, registry)
        ui.success(t("switch.already", name=name, pid=target.pid, url=plan.url))
        if target.detached:
            ui.line(t("start.detached", name=plan.profile.name, log=target.log))
        return True
    from launcher.server.hotswitch import running_version

    # A switch across model versions is checked with one synthesis of the new character
    # (hotswitch.verify), which warms it up too; any other switch gets the warm-up.
    checked = running_version(target) != plan.sovits_version
    with ui.Progress(t("switch.switching", name=name, previous=title)) as progress:
        result = switch(plan, target, registry)
        if result.restart is None and warm and settings is not None and not checked:
            # The new character's first synthesis (its reference is new to the server) before "done".
            from launcher.cli.supervise_cmd import warm_switched

            warm_switched(plan, target, registry, settings, progress)
    if result.restart is not None:  # this release would not give real audio after a swap: restart
        show_notice(result.restart)
        stop_server(target, registry)
        return False
    ui.success(t("switch.done", name=name, previous=title, seconds=f"{result.seconds:.1f}", url=plan.url))
    return True


def _update_xiaozhi(plan, settings, advertise_host, module, restart=False) -> None:
    """After ready: point xiaozhi at this server (one line), check it, restart it when asked."""
    from launcher.cli.xiaozhi_flow import update_after_start

    update_after_start(plan, settings, common.home(), advertise_host=advertise_host, module=module, restart=restart)
