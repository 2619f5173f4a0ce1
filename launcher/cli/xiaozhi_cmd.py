"""`xiaozhi` (write the TTS block into xiaozhi-server's data/.config.yaml) and `say`."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from launcher.cli.app import app, t
from launcher.cli import common


@app.command("xiaozhi")
def xiaozhi_command(
    name: Optional[str] = typer.Argument(None, help="角色配置名；或 set-dir 后跟 xiaozhi-server 目录"),
    folder: Optional[Path] = typer.Argument(None, help="set-dir 时：xiaozhi-server 目录（或仓库根目录）"),
    dry_run: bool = typer.Option(False, "--dry-run", help="只显示将要做的修改"),
    advertise_host: Optional[str] = typer.Option(None, "--advertise-host", help="写给 xiaozhi 的地址（Docker 里用 host.docker.internal 或局域网 IP）"),
    module: Optional[str] = typer.Option(None, "--xiaozhi-module", help="GPT_SOVITS_V1：使用自己拷进去的 gpt_sovits_v1 提供者"),
    undo: bool = typer.Option(False, "--undo", help="恢复上一次的备份"),
) -> None:
    """把角色对应的 TTS 配置写进 xiaozhi-server 的 data/.config.yaml（先备份，保留注释）。

    Example: sovits-launch xiaozhi nahida --dry-run
    """
    from launcher import ui
    from launcher.xiaozhi import config as xiaozhi
    from launcher.xiaozhi.files import find_xiaozhi_dir
    from launcher.errors import BadInput
    from launcher.paths import save_settings

    settings = common.settings()
    if name == "set-dir":
        if folder is None:
            raise BadInput("xiaozhi.set_dir_needs_path")
        settings.xiaozhi_dir = str(find_xiaozhi_dir(folder))
        save_settings(settings)
        ui.success(t("xiaozhi.dir_saved", path=settings.xiaozhi_dir))
        return
    from launcher.xiaozhi.integrate import xiaozhi_dir

    xdir = xiaozhi_dir(settings)
    if undo:
        done = xiaozhi.undo(xdir)
        ui.success(t("xiaozhi.undone", path=str(done.path), backup=str(done.restored_from), saved=str(done.saved_current or "-")))
        ui.line(t("xiaozhi.restart"))
        return
    if not name:
        raise BadInput("xiaozhi.need_profile")
    from launcher.xiaozhi.integrate import running_plan

    plan = running_plan(common.profile(name), layout=common.home(), settings=settings)
    write_block(plan, xdir, advertise_host=advertise_host, module=module, dry_run=dry_run)


def write_block(plan, xdir: Path, *, advertise_host=None, module=None, dry_run=False) -> None:
    """Plan, show and (unless a dry run) apply the xiaozhi edit; shared with `start`."""
    from launcher import ui
    from launcher.xiaozhi import config as xiaozhi
    from launcher.xiaozhi.integrate import xiaozhi_target

    target = xiaozhi_target(plan, advertise_host=advertise_host, module=module)
    edit = xiaozhi.plan(xdir, target)
    if advertise_host:
        ui.line(t("xiaozhi.advertise", url=edit.block.get("url", "")))
    if edit.ignored_params:
        ui.warn(t("xiaozhi.ignored", module=edit.module, names=", ".join(edit.ignored_params)))
    if edit.manager_mode:
        ui.warn(t("xiaozhi.manager_mode", url=edit.manager_url, path=str(edit.path), module=edit.module))
        ui.line(t("xiaozhi.manager_mode.hint", url=edit.manager_url, path=str(edit.path), module=edit.module))
        for key, label, value in edit.manager_fields:
            ui.line(t("xiaozhi.manager_field", key=key, label=label, value=value))
        return
    if not edit.changed:
        ui.line(t("xiaozhi.unchanged", path=str(edit.path)))
        return
    for line in edit.diff:
        ui.line(line, style="green" if line.startswith("+") else ("red" if line.startswith("-") else None))
    if dry_run:
        ui.line(t("xiaozhi.dry_run"))
        return
    applied = xiaozhi.apply(edit)
    if edit.old_text is None:
        ui.success(t("xiaozhi.created", path=str(applied.path), module=edit.module))
    else:
        ui.success(
            t("xiaozhi.written", path=str(applied.path), module=edit.module, previous=edit.previous_module or "-",
              backup=str(applied.backup or "-"))
        )
    ui.line(t("xiaozhi.restart"))


@app.command("say")
def say_command(
    name: str = typer.Argument(..., help="角色配置名"),
    text: str = typer.Argument(..., help="要合成的文本"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="保存 WAV 的位置（默认 当前目录/<角色>-say.wav）"),
    emotion: Optional[str] = typer.Option(None, "--emotion", help="用配置里 emotions 下的某个情绪的参考音频"),
) -> None:
    """用正在运行的服务器合成一句话，发送的请求与 xiaozhi 完全相同；检查并保存 WAV。

    Example: sovits-launch say nahida "你好"
    """
    from launcher import ui
    from launcher.xiaozhi.integrate import running_plan, say

    settings = common.settings()
    profile = common.profile(name)
    plan = running_plan(profile, layout=common.home(), settings=settings)
    target = out or Path.cwd() / f"{profile.name}-say.wav"
    result = say(plan, text, target, settings=settings, emotion=emotion)
    ui.success(t("xiaozhi.say.saved", path=result.path, duration=result.seconds, rate=result.sample_rate, ttfb=result.ttfb_seconds))
