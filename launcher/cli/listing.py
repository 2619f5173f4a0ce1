"""`list` (profiles and their files' health) and `status` (running servers)."""

from __future__ import annotations

from pathlib import Path

import typer

from launcher.cli.app import app, t
from launcher.cli import common


def show_registry_notices(layout) -> None:
    """Tell, once, that the registry of running servers was damaged and rebuilt."""
    from launcher.cli.app import show_notice
    from launcher.server.registry import Registry

    for notice in Registry(layout.registry_file).take_notices():
        show_notice(notice)


def _mark(state) -> str:
    if state is None or state.path is None:
        return "—"
    return "✓" if state.exists else "✗"


@app.command("list")
def list_command(as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """列出所有角色配置：文件是否存在、参考音频时长（3~10 秒）、版本、是否在运行。"""
    from launcher import ui
    from launcher.server.inventory import profile_rows

    show_registry_notices(common.home())
    rows = profile_rows(common.home(), common.settings())
    if as_json:
        ui.emit_json("profiles", [r.to_dict() for r in rows])
        return
    if not rows:
        ui.line(t("list.empty", folder=str(common.home().profiles)))
        return
    table = []
    broken = [r for r in rows if r.error]
    for r in rows:
        if r.error:
            continue
        if r.ref_seconds is not None:
            ref = f"{r.ref_seconds:.1f}s " + ("✓" if r.ref_ok else "✗ 3~10s")
        elif r.ref_audio is not None and r.ref_audio.path is None:
            ref = t("list.no_reference")
        else:
            ref = _mark(r.ref_audio)
        running = ", ".join(f":{s['port']} ({t('state.' + s['state'])})" for s in r.running) or "-"
        table.append(
            [r.name, r.display_name or "", r.api, r.port, r.version or "", _mark(r.gpt), _mark(r.sovits), ref, running]
        )
    ui.table(
        [t("col.name"), t("col.display"), "API", t("col.port"), t("col.version"), "GPT", "SoVITS", t("col.reference"), t("col.running")],
        table,
    )
    for r in broken:
        ui.warn(t("list.broken", name=r.name, error=t(r.error["key"], **r.error["params"])))
    _package_line()


def _package_line() -> None:
    """What the remembered package's servers load, read from its code (capabilities)."""
    from launcher import ui
    from launcher.gsv import capabilities

    root = common.settings().gsv_root
    if not root or not Path(root).is_dir():
        return
    caps = capabilities.read(root)
    ui.line(t("list.capabilities", root=root, release=caps.release or "?", summary=capabilities.summary(caps)))


@app.command("status")
def status_command(as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """列出正在运行的服务器（与真实进程核对过）。"""
    from launcher import ui
    from launcher.server.inventory import server_rows

    show_registry_notices(common.home())
    rows = server_rows(common.home())
    if as_json:
        ui.emit_json("servers", [r.to_dict() for r in rows])
        return
    if not rows:
        ui.line(t("status.none"))
        return
    from launcher.cli.xiaozhi_flow import status_marker

    xiaozhi_mark = status_marker(common.settings())  # which server xiaozhi's TTS URL points at
    ui.table(
        [t("col.name"), "API", t("col.address"), "PID", t("col.state"), t("col.uptime"), t("col.memory"), t("col.weights"), t("col.log"), "xiaozhi"],
        [
            [
                r.display_name or r.profile,
                r.api,
                f"{r.host}:{r.port}",
                r.pid,
                t("state." + r.state),
                common.fmt_seconds(r.uptime_seconds),
                f"{r.memory_mb:.0f} MB" if r.memory_mb is not None else "?",
                Path(r.sovits).name if r.sovits else "?",
                r.log,
                xiaozhi_mark(r),
            ]
            for r in rows
        ],
    )
