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
    restart: bool = typer.Option(False, "--restart", help="端口上已有本启动器的同类服务器时，重启而不是热切换角色"),
    no_xiaozhi: bool = typer.Option(False, "--no-xiaozhi", help="就绪后不修改 xiaozhi-server 的配置"),
    advertise_host: Optional[str] = typer.Option(None, "--advertise-host", help="写给 xiaozhi 的地址（xiaozhi 在 Docker 或另一台机器上时）"),
    xiaozhi_module: Optional[str] = typer.Option(None, "--xiaozhi-module", help="GPT_SOVITS_V1：写入自己拷进去的 gpt_sovits_v1 提供者的配置段"),
) -> None:
    """启动角色的 GPT-SoVITS 服务器，等到它真正可用。

    Example: sovits-launch nahida --v1
    """
    from launcher import ui
    from launcher.errors import BadInput
    from launcher.server.plan import plan_start, python_for_display
    from launcher.server.process import run

    if v1 and v2:
        raise BadInput("start.both_apis")
    api = "v1" if v1 else ("v2" if v2 else None)
    layout = common.home()
    settings = common.settings()
    profile = common.profile(name)
    plan = plan_start(
        profile, layout=layout, settings=settings, api=api, host=host, port=port, python=python, root=root
    )
    for notice in plan.notices:
        show_notice(notice)
    script = plan.script.name
    if dry_run:
        ui.line(t("start.dry_run", cwd=str(plan.root)))
        ui.line(python_for_display(plan.argv))
        if plan.infer_yaml_text:
            ui.line(t("start.dry_run_yaml", path=str(plan.infer_yaml)))
            ui.line(plan.infer_yaml_text.rstrip())
        return
    update_xiaozhi = (
        (lambda: _update_xiaozhi(plan, settings, advertise_host, xiaozhi_module)) if not no_xiaozhi else (lambda: None)
    )
    if _switched_or_cleared(plan, layout, restart):
        update_xiaozhi()
        return

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
    if not detach:
        ui.line(t("start.exited", name=profile.title, code=result.exit_code))


def _switched_or_cleared(plan, layout, restart: bool) -> bool:
    """A running server of ours on this port with the same API: swap its weights
    (seconds instead of minutes), or with --restart stop it first. True when done."""
    from launcher import ui
    from launcher.server.registry import Registry
    from launcher.server.stopping import stop_server
    from launcher.server.switch import switch, switch_target

    registry = Registry(layout.registry_file)
    target = switch_target(plan, registry)
    if target is None:
        return False
    if restart:
        stop_server(target, registry)
        return False
    with ui.Progress(t("switch.switching", name=plan.profile.title, previous=target.display_name or target.profile)):
        result = switch(plan, target, registry)
    if result.restart is not None:  # this release would not give real audio after a swap: restart
        show_notice(result.restart)
        stop_server(target, registry)
        return False
    ui.success(t("switch.done", name=plan.profile.title, previous=result.previous, seconds=f"{result.seconds:.1f}", url=plan.url))
    return True


def _update_xiaozhi(plan, settings, advertise_host, module) -> None:
    """After ready: point xiaozhi at this server. A problem there is a warning: the
    server itself is fine and keeps running."""
    from pathlib import Path

    from launcher.cli.app import show_error
    from launcher.cli.xiaozhi_cmd import write_block
    from launcher.errors import LauncherError

    if not settings.xiaozhi_dir:
        return
    try:
        write_block(plan, Path(settings.xiaozhi_dir), advertise_host=advertise_host, module=module)
    except LauncherError as exc:
        show_error(exc)
