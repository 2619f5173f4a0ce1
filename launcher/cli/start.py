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
) -> None:
    """启动角色的 GPT-SoVITS 服务器，等到它真正可用。

    Example: sovits-launch nahida --v1
    """
    from launcher import ui
    from launcher.errors import BadInput
    from launcher.server import plan_start, python_for_display, run

    if v1 and v2:
        raise BadInput("start.both_apis")
    api = "v1" if v1 else ("v2" if v2 else None)
    layout = common.home()
    profile = common.profile(name)
    plan = plan_start(
        profile, layout=layout, settings=common.settings(), api=api, host=host, port=port, python=python, root=root
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
    ui.line(t("start.starting", name=profile.title, script=script, port=plan.port, log=str(plan.log_path)))

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
        )
    if not detach:
        ui.line(t("start.exited", name=profile.title, code=result.exit_code))
