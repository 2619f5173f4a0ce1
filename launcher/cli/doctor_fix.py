"""`doctor --fix [--dry-run]`: show the fixes the launcher can make, make them, say what is left."""

from __future__ import annotations

from dataclasses import dataclass, field

from launcher.cli.app import show_error, t
from launcher.cli import common

EXIT_NOT_WRITTEN = 2  # doctor's code for failures: a fix that could not be written is one


@dataclass
class FixRun:
    fixes: list = field(default_factory=list)
    applied: list = field(default_factory=list)
    dry_run: bool = False
    exit_code: int = 0  # EXIT_NOT_WRITTEN when a profile could not be written
    as_json: bool = False

    def to_dict(self) -> dict:
        from launcher.doctor.fix import to_dict

        return {
            "dry_run": self.dry_run,
            "planned": [to_dict(f) for f in self.fixes],
            "written": [
                {"profile": a.profile, "path": str(a.path), "backup": str(a.backup) if a.backup else None}
                for a in self.applied
                if a.error is None
            ],
            "failed": [
                {"profile": a.profile, "path": str(a.path), "key": a.error.key, "params": a.error.params}
                for a in self.applied
                if a.error is not None
            ],
        }

    def summary(self, status: str) -> None:
        """After the report: what was fixed, and whether problems are left for the user."""
        from launcher import ui

        written = sum(1 for a in self.applied if a.error is None)
        if written:
            ui.success(t("doctor.fix_done", count=written))
        if status != "ok":
            ui.line(t("doctor.fix_left"), style="yellow")


def run_fixes(layout, settings, name, options, *, dry_run: bool, as_json: bool) -> FixRun:
    from launcher import ui
    from launcher.doctor.fix import apply_fixes, plan_fixes

    run = FixRun(dry_run=dry_run, as_json=as_json)
    if options.probe and not as_json:
        with ui.Progress(t("doctor.probing")):
            run.fixes = plan_fixes(layout, settings, profile=name, probe=True, refresh=options.refresh)
    else:
        run.fixes = plan_fixes(layout, settings, profile=name, probe=options.probe, refresh=options.refresh)
    if not as_json:
        show_plan(run.fixes)
    if dry_run or not run.fixes:
        if run.fixes and not as_json:
            common.dry_run_note()
        return run
    run.applied = apply_fixes(run.fixes)
    for done in run.applied:
        if done.error is not None:
            if not as_json:
                show_error(done.error)
            run.exit_code = EXIT_NOT_WRITTEN
        elif not as_json:
            ui.success(t("doctor.fix_written", name=done.profile, path=str(done.path)))
            if done.backup:
                ui.line(t("doctor.fix_backup", path=str(done.backup)), style="dim")
    if not as_json:
        ui.line()
    return run


def show_plan(fixes: list) -> None:
    from launcher import ui

    if not fixes:
        ui.line(t("doctor.fix_none"))
        ui.line()
        return
    ui.line(t("doctor.fix_title", count=len(fixes)), style="bold")
    for fix in fixes:
        ui.line(f"  {fix.profile}：" + _why(fix))
        for key, new in fix.changes.items():
            ui.line(f"      {key}: {_shown(fix.before.get(key))} → {_shown(new)}")
    ui.line()


def _why(fix) -> str:
    from launcher.audio import seconds_text

    p = fix.params
    if fix.kind == "reference":
        problem = t("doctor.fix_problem." + ("none" if p["problem"] == "start.no_reference" else "bad"))
        if p.get("source") == "training":
            return t(
                "doctor.fix_reference_training",
                problem=problem,
                seconds=seconds_text(p["seconds"], 1),
                why=t("init.ref_why." + p["why"]),
                clips=p["clips"],
                text_source=t("init.ref_text." + p["text_source"]),
            )
        return t("doctor.fix_reference_folder", problem=problem)
    return t(fix.reason, **{"profile": fix.profile, "device": "", "gpu": "", "torch": "", "count": 0, "memory": "", **p})


def _shown(value) -> str:
    if value is None or value == "":
        return t("doctor.fix_unset")
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
