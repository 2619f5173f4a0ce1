"""`init`: remember the GPT-SoVITS package, propose a profile per character."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from launcher.cli.app import app, t
from launcher.cli import common


@app.command("init")
def init_command(
    root: Path = typer.Argument(..., help="GPT-SoVITS 整合包根目录（含 api.py、api_v2.py、GPT_SoVITS/）"),
    xiaozhi: Optional[Path] = typer.Option(None, "--xiaozhi", help="xiaozhi-server 目录（写 TTS 配置用）"),
    python: Optional[Path] = typer.Option(None, "--python", help="不用 runtime 里的 python 时，指定解释器"),
    force: bool = typer.Option(False, "--force", help="覆盖已有的同名角色配置（先备份）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """检查并记住 GPT-SoVITS 根目录，为每个训练好的角色生成配置。

    Example: sovits-launch init D:\\GPT-SoVITS-v2pro-20250604
    """
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
