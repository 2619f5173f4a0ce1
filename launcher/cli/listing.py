"""`list` (profiles and their files' health) and `status` (running servers)."""

from __future__ import annotations

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


@app.command("list", help="help.list", short_help="help.list.short")
def list_command(as_json: bool = typer.Option(False, "--json", help="help.opt.json")) -> None:
    """Profiles and their files' health (help: help.list)."""
    from launcher import ui
    from launcher.server.inventory import profile_rows

    show_registry_notices(common.home())
    rows = profile_rows(common.home(), common.settings())
    if as_json:
        ui.emit_json("profiles", [common.id_as_profile(r.to_dict()) for r in rows])
        return
    if not rows:
        ui.line(t("list.empty", folder=str(common.home().profiles)))
        return
    show_profiles(rows)
    _package_line()


def show_profiles(rows) -> None:
    from launcher import ui
    from launcher.audio import seconds_text

    table = []
    for r in rows:
        if r.error:
            continue
        if r.ref_seconds is not None:
            ref = f"{seconds_text(r.ref_seconds, 1, r.ref_ok)}s " + ("✓" if r.ref_ok else "✗ 3~10s")
        elif r.ref_audio is not None and r.ref_audio.path is None:
            ref = t("list.no_reference")
        else:
            ref = _mark(r.ref_audio)
        running = ", ".join(f":{s['port']} ({t('state.' + s['state'])})" for s in r.running) or "-"
        table.append(
            [common.label(r.name, r.display_name), script_name(r.api), r.port, r.version or "", _files(r), ref, running]
        )
    ui.table(
        [t("col.name"), t("col.api"), t("col.port"), t("col.model"), t("col.files"), t("col.reference"), t("col.running")],
        table,
        nowrap=(2,),
    )
    for r in rows:
        if r.error:
            ui.warn(t("list.broken", name=r.name, error=t(r.error["key"], **r.error["params"])))


def _package_line() -> None:
    """What the remembered package's servers load, read from its code (capabilities)."""
    from pathlib import Path

    from launcher import ui
    from launcher.gsv import capabilities

    root = common.settings().gsv_root
    if not root or not Path(root).is_dir():
        return
    caps = capabilities.read(root)
    release = caps.release or "?"
    whole = t("list.capabilities", root=root, release=release, summary=capabilities.summary(caps))
    if ui.fits(whole):
        ui.line(whole)
        return
    # Narrow terminal: one line per server script rather than one cut in the middle of a
    # word, and a long folder shortened in the middle.
    head = t("list.capabilities", root=root, release=release, summary="").rstrip()
    if not ui.fits(head):
        from rich.cells import cell_len

        room = ui.out().width - (cell_len(head) - cell_len(str(root)))
        head = t("list.capabilities", root=ui.shorten_path(str(root), max(room, 10)), release=release,
                 summary="").rstrip()
    ui.line(head)
    for part in capabilities.summary_parts(caps):
        ui.line("  " + part)


def script_name(api) -> str:
    """The API column names the script (api.py / api_v2.py): "v2" alone would read like
    the model version, which has a column of its own."""
    return {"v1": "api.py", "v2": "api_v2.py"}.get(api or "", api or "")


def _files(row) -> str:
    """The weights' health in one cell: ✓, or ✗ and what is missing."""
    missing = [label for label, state in (("GPT", row.gpt), ("SoVITS", row.sovits)) if _mark(state) != "✓"]
    return "✗ " + " ".join(missing) if missing else "✓"


@app.command("status", help="help.status", short_help="help.status.short")
def status_command(as_json: bool = typer.Option(False, "--json", help="help.opt.json")) -> None:
    """Running servers, checked against the real processes (help: help.status)."""
    from launcher import ui
    from launcher.server.inventory import server_rows

    show_registry_notices(common.home())
    rows = server_rows(common.home())
    if as_json:
        ui.emit_json("servers", [r.to_dict() for r in rows])
        return
    if not rows:
        ui.line(t("status.none"))
    else:
        show_servers(rows)
    _supervision(rows)


def _supervision(rows) -> None:
    """Restart on crash: how often, the last crash, and supervisors that gave up."""
    import time

    from launcher import ui
    from launcher.server.supervise import gave_up

    when = lambda at: time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(at))  # noqa: E731
    for r in rows:
        if not r.restart_on_crash:
            continue
        ui.line(t("status.supervised", name=common.label(r.profile, r.display_name), port=r.port, restarts=r.restarts))
        crash = r.last_crash
        if crash:
            ui.line(t("status.last_crash", when=when(crash.get("at") or 0), reason=t(crash["key"], **crash.get("params", {}))))
    for item in gave_up(common.home(), {r.port for r in rows}):
        last = (item.get("crashes") or [{}])[-1]
        reason = t(last["key"], **last.get("params", {})) if last.get("key") else "?"
        ui.warn(t("status.gave_up", name=common.label(item.get("profile") or "?", item.get("display_name")),
                  port=item.get("port"), when=when(item.get("at") or 0), crashes=len(item.get("crashes") or []),
                  reason=reason, log=str(common.home().logs / f"supervise-{item.get('port')}.log")))


def show_servers(rows) -> None:
    from launcher import ui
    from launcher.cli.xiaozhi_flow import status_marker

    xiaozhi_mark = status_marker(common.settings())  # which server xiaozhi's TTS URL points at
    marks = [xiaozhi_mark(r) for r in rows]
    columns = [t("col.name"), t("col.api"), t("col.address"), t("col.state"), t("col.memory"), "PID", t("col.log")]
    table = [
        [
            common.label(r.profile, r.display_name),
            script_name(r.api),
            f"{r.host}:{r.port}",
            f"{t('state.' + r.state)} {common.fmt_seconds(r.uptime_seconds)}",
            f"{r.memory_mb:.0f} MB" if r.memory_mb is not None else "?",
            r.pid,
            r.log,
        ]
        for r in rows
    ]
    if any(marks):  # the xiaozhi column only when xiaozhi points at one of them (or at this port wrongly)
        columns.append("xiaozhi")
        for row, mark in zip(table, marks):
            row.append(mark)
    ui.table(columns, table, paths=(6,), nowrap=(2,), optional=(5, 4))
