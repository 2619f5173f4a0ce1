"""`import`: a community voice pack (folder or zip) -> weights in the package + a ready profile."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Any, List, Optional

import typer

from launcher.cli.app import app, show_error, show_notice, t
from launcher.cli import common
from launcher.errors import BadInput, Notice

_TABLE_FROM = 4  # more characters than this: one table row each instead of a block


@app.command("import", help="help.import", short_help="help.import.short")
def import_command(
    source: Path = typer.Argument(..., help="help.import.source"),
    name: Optional[str] = typer.Option(None, "--name", help="help.import.name"),
    display_name: Optional[str] = typer.Option(None, "--display-name", help="help.import.display_name"),
    in_place: bool = typer.Option(False, "--in-place", help="help.import.in_place"),
    force: bool = typer.Option(False, "--force", help="help.import.force"),
    gpt: Optional[List[str]] = typer.Option(None, "--gpt", metavar="help.metavar.file", help="help.import.gpt"),
    sovits: Optional[List[str]] = typer.Option(None, "--sovits", metavar="help.metavar.file", help="help.import.sovits"),
    root: Optional[Path] = typer.Option(None, "--root", help="help.opt.root"),
    dry_run: bool = typer.Option(False, "--dry-run", help="help.import.dry_run"),
    as_json: bool = typer.Option(False, "--json", help="help.opt.json"),
) -> None:
    """Import a community voice pack (help: help.import)."""
    from launcher.packs.apply import apply_import
    from launcher.packs.plan import PackProblems, plan_import
    from launcher.packs.scan import scan as scan_pack

    gsv_root = _root(root)
    # Extract next to the package (same drive): the files are then moved into place, not copied twice.
    with _progress(t("packs.extracting"), not as_json and source.is_file()) as report:
        scan = scan_pack(source, work_dir=gsv_root, on_progress=report)
    with scan:
        try:
            plan = plan_import(
                scan,
                root=gsv_root,
                layout=common.home(),
                name=name,
                display_name=display_name,
                in_place=in_place,
                force=force,
                gpt=gpt,
                sovits=sovits,
            )
        except PackProblems as exc:
            _show_problems(exc)
            raise typer.Exit(exc.exit_code)
        if not as_json:
            _show_plan(plan)
        result = None
        if not dry_run:
            with _progress(t("packs.copying"), not as_json) as report:
                result = apply_import(plan, on_progress=report)
        if as_json:
            from launcher import ui

            ui.emit_json("import", _to_json(plan, result))
            return
        _show_result(plan, result)


def _root(given: Optional[Path]) -> Path:
    if given is not None:
        return given.expanduser().resolve()
    saved = common.settings().gsv_root
    if not saved:
        raise BadInput("packs.no_root")
    return Path(saved)


@contextmanager
def _progress(label: str, enabled: bool):
    """A transient byte progress bar on a terminal; a silent callback elsewhere."""
    from launcher import ui

    if not (enabled and ui.is_interactive()):
        yield None
        return
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

    with Progress(
        TextColumn(label), BarColumn(), DownloadColumn(), TransferSpeedColumn(), console=ui.out(), transient=True
    ) as bar:
        task = bar.add_task(label, total=None)

        def report(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield report


def _notice_text(n: Notice) -> str:
    return t(n.key, **n.params)


def _next_command(name: str) -> str:
    word = f'"{name}"' if any(c.isspace() for c in name) else name
    verbs = {c.name for c in app.registered_commands if c.name}
    return f"sovits-launch start {word}" if name in verbs else f"sovits-launch {word}"


def _show_problems(exc) -> None:
    from launcher import ui

    ui.err().print("✗ " + t("packs.problems", count=len(exc.problems)), style="bold red", markup=False)
    for problem in exc.problems:
        show_error(problem)


def _show_plan(plan) -> None:
    from launcher import ui
    from launcher.packs.plan import root_relative

    scan = plan.scan
    ui.line(
        t(
            "packs.recognised",
            layout=t("packs.layout." + scan.layout),
            count=len(plan.characters),
            source=scan.source.name or str(scan.source),
        )
    )
    for n in plan.notices:
        _notice(n)
    if len(plan.characters) > _TABLE_FROM:
        _show_table(plan)
        return
    for ch in plan.characters:
        ui.line()
        ui.line(t("packs.character", name=ch.name, display=ch.display_name), style="bold")
        for c in ch.choices:
            value = c.value
            if c.field == "ref_audio":
                value = t("packs.ref_value", file=c.value, seconds=c.params.get("seconds", "?"))
            ui.line(t("packs.choice_line", field=t("packs.field." + c.field), value=value, why=t(c.reason, **c.params)))
        emotions = ch.emotions
        names = t("packs.sep").join(emotions)
        ui.line(t("packs.emotions", count=len(emotions), names=names) if emotions else t("packs.emotions_none"))
        for n in ch.notices:
            _notice(n)
    ui.line()
    ui.line(t("packs.files"))
    for op in plan.files:
        ui.line(f"  {t('packs.action.' + op.action)}  {root_relative(op.dest, plan.root)}")


def _notice(n: Notice) -> None:
    from launcher import ui

    if n.key in ("packs.gbk_names", "packs.unwrapped"):  # facts, not problems
        ui.line("  " + _notice_text(n), style="dim")
    else:
        show_notice(n)


def _show_table(plan) -> None:
    from launcher import ui

    rows = []
    for ch in plan.characters:
        rows.append(
            [
                ch.name,
                ch.display_name,
                ch.version + (" LoRA" if ch.lora else ""),
                ch.profile.ref_audio and Path(ch.profile.ref_audio).name or t("list.no_reference"),
                len(ch.emotions),
                len(ch.notices) or "",
            ]
        )
    cols = ["col.name", "col.display", "col.version", "col.reference", "packs.col.emotions", "packs.col.notes"]
    ui.table([t(c) for c in cols], rows)
    for ch in plan.characters:
        for n in ch.notices:
            ui.warn(f"{ch.name}: {_notice_text(n)}")


def _show_result(plan, result) -> None:
    from launcher import ui
    from launcher.packs.zipsafe import size_text

    ui.line()
    if result is None:
        for ch in plan.characters:
            ui.line(t("packs.would_write", name=ch.name, path=str(ch.profile_path)))
        common.dry_run_note()
        return
    for p in result.profiles:
        name = Path(p.path).stem
        key = "packs.profile_replaced" if p.action == "replace" else "packs.profile_written"
        if len(result.profiles) <= _TABLE_FROM or p.action == "replace":
            ui.success(t(key, name=name, path=str(p.path)))
    for b in result.backups:
        ui.line("  " + t("packs.backup", path=str(b)), style="dim")
    ui.success(t("packs.summary", count=len(result.profiles), size=size_text(result.bytes_copied)))
    for ch in plan.characters:
        if ch.needs_reference and len(plan.characters) <= _TABLE_FROM:
            ui.warn(t("packs.needs_reference", name=ch.name))
    command = _next_command(plan.characters[0].name) if len(plan.characters) == 1 else "sovits-launch list"
    ui.line(t("packs.next", command=command))


def _notice_json(n: Notice) -> dict[str, Any]:
    return {"key": n.key, "params": n.params, "text": _notice_text(n)}


def _to_json(plan, result) -> dict[str, Any]:
    scan = plan.scan
    characters = []
    for ch in plan.characters:
        characters.append(
            {
                "profile": ch.name,
                "display_name": ch.display_name,
                "folder": ch.folder,
                "layout": ch.layout,
                "version": ch.version,
                "lora": ch.lora,
                "profile_file": str(ch.profile_path),
                "profile_action": ch.profile_action,
                "needs_reference": ch.needs_reference,
                "settings": ch.profile.to_dict(),
                "choices": [
                    {"field": c.field, "value": c.value, "reason": c.reason, "params": c.params, "text": t(c.reason, **c.params)}
                    for c in ch.choices
                ],
                "notices": [_notice_json(n) for n in ch.notices],
                "files": [
                    {"kind": op.kind, "source": str(op.source), "dest": str(op.dest), "action": op.action, "size": op.size}
                    for op in ch.files
                ],
            }
        )
    out: dict[str, Any] = {
        "source": str(scan.source),
        "kind": scan.kind,
        "layout": scan.layout,
        "wrappers": scan.wrappers,
        "root": str(plan.root),
        "dry_run": result is None,
        "notices": [_notice_json(n) for n in plan.notices],
        "characters": characters,
        "result": None,
        "next": _next_command(plan.characters[0].name) if len(plan.characters) == 1 else "sovits-launch list",
    }
    if result is not None:
        out["result"] = {
            "files": [{"kind": p.kind, "path": str(p.path), "action": p.action, "backup": p.backup and str(p.backup)} for p in result.placed],
            "profiles": [{"path": str(p.path), "action": p.action, "backup": p.backup and str(p.backup)} for p in result.profiles],
            "backups": [str(b) for b in result.backups],
            "bytes_copied": result.bytes_copied,
        }
    return out
