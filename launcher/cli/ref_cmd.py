"""`ref`: set a profile's reference audio from a WAV, without editing YAML."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from launcher.cli.app import app, t
from launcher.cli import common


@app.command("ref", help="help.ref", short_help="help.ref.short")
def ref_command(
    name: str = typer.Argument(..., help="help.opt.profile"),
    wav: Path = typer.Argument(..., help="help.ref.wav"),
    text: Optional[str] = typer.Option(
        None, "--text", help="help.ref.text"
    ),
    lang: Optional[str] = typer.Option(None, "--lang", "--prompt-lang", help="help.ref.lang"),
    dry_run: bool = typer.Option(False, "--dry-run", help="help.ref.dry_run"),
    as_json: bool = typer.Option(False, "--json", help="help.opt.json"),
) -> None:
    """Set a profile's reference audio from a WAV (help: help.ref)."""
    from launcher import ui
    from launcher.gsv import package
    from launcher.profiles.references import set_reference

    profile = common.profile(name)
    chosen = profile.root or common.settings().gsv_root
    root = Path(chosen).expanduser().resolve() if chosen else None
    ffprobe = package.find_runtime_tool(root, "ffprobe") if root else None
    done = set_reference(profile, wav, text=text, lang=lang, root=root, ffprobe=ffprobe, dry_run=dry_run)
    if as_json:
        ref = done.reference
        ui.emit_json(
            "ref",
            {
                "profile": done.profile,
                "file": str(done.file),
                "before": done.before,
                "after": done.after,
                "seconds": round(ref.seconds, 3),
                "text_source": ref.text_source,
                "lang_source": ref.lang_source,
                "backup": str(done.backup) if done.backup else None,
                "written": done.written,
                "notices": [{"key": n.key, "params": n.params} for n in ref.notices],
            },
        )
        return
    show(done)


def show(done) -> None:
    from launcher import ui
    from launcher.audio import seconds_text
    from launcher.cli.app import show_notice

    ref = done.reference
    ui.line(t("ref.title", name=done.profile), style="bold")
    before = done.before
    if before.get("ref_audio"):
        ui.line(t("ref.before", path=before["ref_audio"], text=before.get("prompt_text") or "", lang=before.get("prompt_lang") or ""))
    else:
        ui.line(t("ref.before_none"))
    after = done.after
    ui.line(
        t("ref.after", path=after["ref_audio"], seconds=seconds_text(ref.seconds), text=after["prompt_text"], lang=after.get("prompt_lang") or before.get("prompt_lang") or "")
    )
    ui.line(t("ref.text_from", source=t("ref.source." + ref.text_source)))
    if ref.lang_source:
        ui.line(t("ref.lang_from", lang=ref.lang, source=t("ref.lang_source." + ref.lang_source)))
    for notice in ref.notices:
        show_notice(notice)
    if not done.written:
        common.dry_run_note()
        return
    ui.success(t("ref.saved", path=str(done.file)))
    if done.backup:
        ui.line(t("ref.backup", path=str(done.backup)), style="dim")
