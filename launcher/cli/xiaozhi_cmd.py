"""`xiaozhi` (write the TTS block into xiaozhi-server's data/.config.yaml) and `say`."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from launcher.cli.app import app, t
from launcher.cli import common


@app.command("xiaozhi")
def xiaozhi_command(
    name: Optional[str] = typer.Argument(None, help="角色配置名；或 set-dir 后跟 xiaozhi-server 目录；或 check [角色]"),
    folder: Optional[str] = typer.Argument(None, help="set-dir 时：xiaozhi-server 目录（源码、仓库根目录或 Docker 部署目录）；check 时：角色"),
    dry_run: bool = typer.Option(False, "--dry-run", help="只显示将要做的修改"),
    advertise_host: Optional[str] = typer.Option(None, "--advertise-host", help="写给 xiaozhi 的地址（默认按 xiaozhi 的部署方式决定）"),
    module: Optional[str] = typer.Option(None, "--xiaozhi-module", help="GPT_SOVITS_V1：使用自己拷进去的 gpt_sovits_v1 提供者"),
    undo: bool = typer.Option(False, "--undo", help="恢复上一次的备份"),
    restart: bool = typer.Option(False, "--restart", help="写入后重启 xiaozhi-server（Docker：docker restart；源码：按原命令重新运行 app.py）"),
    python: Optional[Path] = typer.Option(None, "--python", help="check：xiaozhi 的解释器（默认：正在运行的 app.py 用的，或它旁边的 venv/conda 环境）"),
    text: Optional[str] = typer.Option(None, "--text", help="check：要合成的句子"),
    timeout: float = typer.Option(120.0, "--timeout", help="check：最长等待秒数"),
) -> None:
    """把角色对应的 TTS 配置写进 xiaozhi-server 的 data/.config.yaml（先备份，保留注释）；check 让 xiaozhi 自己的代码合成一句。

    Example: sovits-launch xiaozhi nahida --dry-run
    Example: sovits-launch xiaozhi check nahida
    """
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
    flow.restart_or_say_how(xdir, restart=restart, layout=common.home())


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
