"""`stop`: end a server's whole process tree and confirm its port is free."""

from __future__ import annotations

from typing import Optional

import typer

from launcher.cli.app import app, t
from launcher.cli import common


@app.command("stop")
def stop_command(
    name: Optional[str] = typer.Argument(None, help="角色配置名"),
    port: Optional[int] = typer.Option(None, "--port", "-p", help="按端口停止"),
    all_: bool = typer.Option(False, "--all", help="停止全部"),
) -> None:
    """停止服务器：先请求 GPT-SoVITS 自行退出，再结束整个进程树，并确认端口已释放。

    只结束能确认是 GPT-SoVITS 服务器的进程（本启动器的记录，或从整合包目录运行的 api.py / api_v2.py）。
    """
    from launcher import ui
    from launcher.errors import BadInput
    from launcher.server.stopping import stop
    from launcher.cli.listing import show_registry_notices

    if not (name or port or all_):
        raise BadInput("stop.what")
    show_registry_notices(common.home())
    results = stop(common.home(), profile=name, port=port, all_servers=all_)
    if not results:
        ui.line(t("stop.none_running"))
    for r in results:
        if not r.ended:
            key = "stop.already_gone"
        else:
            key = "stop.stopped" if r.port_free else "stop.port_still_busy"
        ui.success(t(key, name=r.profile, port=r.port, pid=r.pid))
