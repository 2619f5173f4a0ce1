"""`bat`: write double-click .bat files that start a profile (ASCII, CRLF, checked)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from launcher.cli.app import app, show_notice, t
from launcher.cli import common


@app.command("bat")
def bat_command(
    name: Optional[str] = typer.Argument(None, help="角色配置名（或显示名，或 .yaml 文件路径）"),
    every: bool = typer.Option(False, "--all", help="为每个角色各生成一个 .bat"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="写到这个文件夹（默认：GPT-SoVITS 根目录）"),
    file_name: Optional[str] = typer.Option(None, "--name", help="文件名（不含 .bat；默认用角色的显示名，如 纳西妲）"),
    via: Optional[str] = typer.Option(
        None, "--via", help="怎样找到启动器：exe（.bat 旁的 sovits-launch.exe）/ runtime（整合包的 python）/ path（PATH 里的 sovits-launch）；默认自动选择"
    ),
    v1: bool = typer.Option(False, "--v1", help="双击时用 api.py 启动"),
    v2: bool = typer.Option(False, "--v2", help="双击时用 api_v2.py 启动"),
    port: Optional[int] = typer.Option(None, "--port", "-p", help="双击时用这个端口", callback=common.port_option),
    root: Optional[Path] = typer.Option(None, "--root", help="GPT-SoVITS 根目录（默认用角色配置或 init 记住的）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """生成双击启动的 .bat：纯英文字符 + CRLF，中文文件夹、空格、& ( ) ! % 都不会出错。

    Example: sovits-launch bat nahida    (写出 纳西妲.bat)
    """
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
