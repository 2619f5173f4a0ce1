"""`doctor`: every check with ✓/⚠/✗ and one fix each; `--bundle [-o PATH]` writes the 诊断包."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from launcher.cli.app import app, t
from launcher.cli import common

EXIT_WARNINGS = 1  # only with --strict
EXIT_FAILURES = 2
_MARKS = {"ok": ("✓", "green"), "warn": ("⚠", "yellow"), "fail": ("✗", "bold red")}


@app.command("doctor", help="help.doctor", short_help="help.doctor.short")
def doctor_command(
    name: Optional[str] = typer.Argument(None, help="help.doctor.name"),
    as_json: bool = typer.Option(False, "--json", help="help.opt.json"),
    bundle: bool = typer.Option(False, "--bundle", help="help.doctor.bundle"),
    output: Optional[Path] = typer.Option(None, "--out", "-o", help="help.doctor.out"),
    old_output: Optional[Path] = typer.Option(None, "--output", hidden=True),  # the spelling before --out
    strict: bool = typer.Option(False, "--strict", help="help.doctor.strict"),
    refresh: bool = typer.Option(False, "--refresh", help="help.doctor.refresh"),
    no_probe: bool = typer.Option(False, "--no-probe", help="help.doctor.no_probe"),
    fix: bool = typer.Option(False, "--fix", help="help.doctor.fix"),
    dry_run: bool = typer.Option(False, "--dry-run", help="help.doctor.dry_run"),
) -> None:
    """Every check with one fix each; --bundle writes the 诊断包 (help: help.doctor)."""
    from launcher import ui
    from launcher.doctor.report import Options, run_doctor

    layout = common.home()
    options = Options(probe=not no_probe, refresh=refresh)
    fixes = None
    if fix or dry_run:
        from launcher.cli.doctor_fix import run_fixes

        fixes = run_fixes(layout, common.settings(), name, options, dry_run=dry_run, as_json=as_json)
        options.refresh = False  # the runtime was just asked
        if dry_run:
            if as_json:
                ui.emit_json("doctor", {"fixes": fixes.to_dict()})
            return
    if options.probe and not as_json:
        with ui.Progress(t("doctor.probing")):
            report = run_doctor(layout, common.settings(), profile=name, options=options)
    else:
        report = run_doctor(layout, common.settings(), profile=name, options=options)
    data = rendered(report)
    bundle_path = None
    output = output or old_output
    if bundle or output is not None:
        from launcher.doctor.bundle import write_bundle

        bundle_path = write_bundle(output or Path.cwd(), layout=layout, report=data)
    if as_json:
        if bundle_path is not None:
            data["bundle"] = str(bundle_path)
        if fixes is not None:
            data["fixes"] = fixes.to_dict()
        ui.emit_json("doctor", data)
    else:
        show(data)
        if bundle_path is not None:
            ui.success(t("doctor.bundle_written", path=str(bundle_path)))
        if fixes is not None:
            fixes.summary(report.status)
    code = fixes.exit_code if fixes is not None and fixes.exit_code else exit_code(report.status, strict)
    if code:
        raise typer.Exit(code)


def exit_code(status: str, strict: bool) -> int:
    if status == "fail":
        return EXIT_FAILURES
    if status == "warn" and strict:
        return EXIT_WARNINGS
    return 0


def rendered(report) -> dict:
    """The report as data, each check with its message and fix in the current language."""
    from launcher import messages as msg

    data = report.to_dict()
    for section in data["sections"]:
        section["title"] = t("doctor.section." + section["kind"], subject=section["subject"])
        if section["kind"] == "profile":
            section["profile"] = section["subject"]  # the id under one key in every verb's JSON
        for check in section["checks"]:
            check["message"] = t(check["key"], **check["params"])
            fix = check["fix_key"]
            if fix is not None:
                check["fix"] = t(fix, **check["params"]) if msg.has(fix) else t("doctor.fix_generic")
            else:
                check["fix"] = None
    return data


def show(data: dict) -> None:
    from launcher import ui

    for section in data["sections"]:
        ui.line(section["title"], style="bold")
        for check in section["checks"]:
            mark, style = _MARKS[check["status"]]
            ui.line(f"  {mark} {check['message']}", style=None if check["status"] == "ok" else style)
            if check["fix"]:
                ui.line(f"      → {t('doctor.fix_prefix')}：{check['fix']}", style="yellow")
    counts = data["counts"]
    ui.line()
    ui.line(t("doctor.summary", ok=counts["ok"], warn=counts["warn"], fail=counts["fail"]), style="bold")
