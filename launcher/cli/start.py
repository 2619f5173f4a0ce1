"""`start`: the profile's server in the foreground (or --detach), ready when it really answers."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from launcher.cli.app import app, show_notice, t
from launcher.cli import common


@app.command("start")
def start_command(
    name: str = typer.Argument(..., help="角色配置名（或显示名，或 .yaml 文件路径）"),
    v1: bool = typer.Option(False, "--v1", help="用 api.py 启动"),
    v2: bool = typer.Option(False, "--v2", help="用 api_v2.py 启动"),
    port: Optional[int] = typer.Option(None, "--port", "-p", help="端口（默认取配置，通常 9880）"),
    host: Optional[str] = typer.Option(None, "--host", help="监听地址（默认 127.0.0.1；其它地址会有安全警告）"),
    timeout: float = typer.Option(300.0, "--timeout", help="等待就绪的最长秒数"),
    detach: bool = typer.Option(False, "--detach", "-d", help="后台运行，日志写入文件"),
    python: Optional[Path] = typer.Option(None, "--python", help="指定解释器（默认用整合包的 runtime）"),
    root: Optional[Path] = typer.Option(None, "--root", help="GPT-SoVITS 根目录（默认用 init 记住的）"),
    dry_run: bool = typer.Option(False, "--dry-run", help="只显示将要执行的命令，不启动"),
    restart: bool = typer.Option(False, "--restart", help="端口上已有本启动器启动的服务器时，按这次的设置重启它，而不是热切换角色"),
    no_xiaozhi: bool = typer.Option(False, "--no-xiaozhi", help="就绪后不修改 xiaozhi-server 的配置"),
    advertise_host: Optional[str] = typer.Option(None, "--advertise-host", help="写给 xiaozhi 的地址（xiaozhi 在 Docker 或另一台机器上时）"),
    xiaozhi_module: Optional[str] = typer.Option(None, "--xiaozhi-module", help="GPT_SOVITS_V1：写入自己拷进去的 gpt_sovits_v1 提供者的配置段"),
    restart_xiaozhi: bool = typer.Option(False, "--restart-xiaozhi", help="写入 xiaozhi 配置后重启 xiaozhi-server（Docker 或源码运行的 app.py）"),
) -> None:
    """启动角色的 GPT-SoVITS 服务器，等到它真正可用。

    Example: sovits-launch nahida --v1
    """
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
        return
    show_registry_notices(layout)
    update_xiaozhi = (
        (lambda: _update_xiaozhi(plan, settings, advertise_host, xiaozhi_module, restart_xiaozhi))
        if not no_xiaozhi
        else (lambda: None)
    )
    if _switched_or_cleared(plan, layout, restart, timeout):
        update_xiaozhi()
        return
    for notice in binding:
        show_notice(notice)

    def on_ready(server) -> None:
        ui.success(
            t(
                "start.ready",
                name=profile.title,
                script=script,
                url=plan.url,
                seconds=f"{server.ready_seconds:.1f}",
            )
        )
        update_xiaozhi()
        if detach:
            ui.line(t("start.detached", name=profile.name, log=str(plan.log_path)))
        else:
            ui.line(t("start.foreground"))

    try:
        with ui.Progress(t("start.loading", name=profile.title)) as progress:
            result = run(
                plan,
                layout=layout,
                detach=detach,
                timeout=timeout,
                on_line=ui.raw,
                on_tick=progress.tick,
                on_ready=lambda server: (progress.stop(), on_ready(server)),
                on_failure=show_notice,
                on_spawn=lambda server: ui.line(
                    t("start.starting", name=profile.title, script=script, port=plan.port, log=str(plan.log_path))
                ),
            )
    except Interrupted as exc:
        # Ctrl+C (or a closed window) is not an error: say what was stopped, exit 130.
        ui.warn(t(exc.key, **exc.params))
        raise typer.Exit(EXIT_INTERRUPTED) from None
    if result.stop_request:
        # Ended by `sovits-launch stop` from another window: done as asked, exit 0.
        key = "start.stopped_on_request" if result.ready_seconds is not None else "start.stopped_while_loading"
        ui.line(t(key, name=profile.title, port=plan.port, by=result.stop_request.get("by", "?")))
        return
    if not detach:
        ui.line(t("start.exited", name=profile.title, code=result.exit_code))


def _switched_or_cleared(plan, layout, restart: bool, timeout: float) -> bool:
    """A running server of ours on this port: swap its weights (seconds instead of
    minutes) when nothing but the weights and the reference change, or with --restart
    stop it first. A change of address, API, package, device or precision is refused
    with what differs. True when the switch is done."""
    from launcher import ui
    from launcher.errors import PortBusy
    from launcher.server.registry import Registry
    from launcher.server.stopping import stop_server
    from launcher.server.switch import differences, running_on_port, switch, wait_until_ready
    from launcher.server.watch import live_state

    registry = Registry(layout.registry_file)
    target = running_on_port(plan, registry)
    if target is None:
        return False
    title = target.display_name or target.profile
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
    with ui.Progress(t("switch.switching", name=plan.profile.title, previous=title)):
        result = switch(plan, target, registry)
    if result.restart is not None:  # this release would not give real audio after a swap: restart
        show_notice(result.restart)
        stop_server(target, registry)
        return False
    ui.success(t("switch.done", name=plan.profile.title, previous=result.previous, seconds=f"{result.seconds:.1f}", url=plan.url))
    return True


def _update_xiaozhi(plan, settings, advertise_host, module, restart=False) -> None:
    """After ready: point xiaozhi at this server (one line), check it, restart it when asked."""
    from launcher.cli.xiaozhi_flow import update_after_start

    update_after_start(plan, settings, common.home(), advertise_host=advertise_host, module=module, restart=restart)
