"""A pack's reference audio: every WAV with its transcript, emotion, language and length.

Transcripts come from `.lab` files, a training `.list` (`path|speaker|lang|text`),
GSVI's infer_config.json, or the file name (`【情绪】台词.wav`); text files are
UTF-8, else GB18030 (Notepad's "ANSI" on Chinese Windows).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Optional

from launcher import audio
from launcher.fsio import read_small_text
from launcher.errors import BadInput, LauncherError, Notice
from launcher.packs.names import folder_lang, norm_lang
from launcher.packs.zipsafe import safe_parts

OTHER_AUDIO = {".mp3", ".flac", ".ogg", ".m4a", ".aac", ".opus", ".wma"}
_EMOTION = re.compile(r"^【(?P<emotion>[^】]+)】(?P<text>.*)$", re.DOTALL)


@dataclass
class Reference:
    path: Path  # where it is now
    rel: str  # inside the pack, "/"-separated
    text: str  # the transcript ("" when unknown)
    text_source: str  # lab | list | infer_config | filename | none
    emotion: Optional[str] = None
    lang: Optional[str] = None  # API code
    lang_source: Optional[str] = None  # folder | list | infer_config
    label: Optional[str] = None  # the language as the pack wrote it (中文, ZH, 多语种混合…)
    kind: str = "plain"  # emotion | random | plain
    seconds: Optional[float] = None
    in_range: bool = False
    error: Optional[str] = None  # message key when it could not be measured
    default_mark: bool = False  # 【默认】 or infer_config's "default"


def parse_list(text: str) -> dict[str, tuple[str, str]]:
    """A training `.list` (`path|speaker|lang|text`) -> {wav file name (casefolded): (lang, text)}."""
    out: dict[str, tuple[str, str]] = {}
    for line in text.splitlines():
        fields = line.strip().split("|", 3)
        if len(fields) != 4:
            continue
        name = re.split(r"[\\/]", fields[0].strip())[-1]
        if name:
            out[name.casefold()] = (fields[2].strip(), fields[3].strip())
    return out


def infer_config(root_path: Path, base: Path, in_root, notices) -> tuple[Optional[dict], Optional[Path], Optional[Path]]:
    """GSVI's infer_config.json: (emotion_list, gpt_path, sovits_path), paths inside the character folder."""
    path = root_path / "infer_config.json"
    if not path.is_file():
        return None, None, None
    text = read_small_text(path)
    try:
        data = json.loads(text) if text is not None else None
    except ValueError:
        data = None
    if not isinstance(data, dict):
        notices.append(Notice("packs.infer_config_bad", path=str(path)))
        return None, None, None
    emotions = data.get("emotion_list")
    if not isinstance(emotions, dict):
        emotions = {}

    return emotions, _config_wav(root_path, data.get("gpt_path")), _config_wav(root_path, data.get("sovits_path"))


def find_references(base: Path, root_path: Path, in_scope, config: Optional[dict], notices) -> tuple[list[Reference], list[str]]:
    wavs = [f for f in in_scope if f.suffix.lower() == ".wav"]
    labs = {f.with_suffix("").as_posix().casefold(): f for f in in_scope if f.suffix.lower() == ".lab"}
    listed: dict[str, tuple[str, str]] = {}
    for f in in_scope:
        if f.suffix.lower() == ".list":
            text = read_small_text(base / f)
            if text:
                listed.update(parse_list(text))
    other_audio = [f.as_posix() for f in in_scope if f.suffix.lower() in OTHER_AUDIO]
    by_key = {(base / f).as_posix().casefold(): f for f in wavs}
    refs: list[Reference] = []
    used: set[str] = set()
    for emotion, details in (config or {}).items():
        if not isinstance(details, dict):
            continue
        target = _config_wav(root_path, details.get("ref_wav_path"))
        key = target.as_posix().casefold() if target else None
        if key not in by_key:
            notices.append(Notice("packs.infer_config_missing_wav", emotion=str(emotion), path=str(details.get("ref_wav_path"))))
            continue
        used.add(key)
        rel = by_key[key]
        label = details.get("prompt_language")
        lang = norm_lang(label)
        text = details.get("prompt_text")
        ref = _measured(
            Reference(
                path=base / rel,
                rel=rel.as_posix(),
                text=text.strip() if isinstance(text, str) else "",
                text_source="infer_config" if isinstance(text, str) and text.strip() else "none",
                emotion=str(emotion),
                lang=lang,
                lang_source="infer_config" if lang else None,
                label=str(label) if lang else None,
                kind="emotion",
                default_mark=str(emotion).casefold() in ("default", "默认"),
            )
        )
        refs.append(ref)
    for rel in wavs:
        if (base / rel).as_posix().casefold() in used:
            continue
        refs.append(_measured(_plain_reference(base, rel, labs, listed)))
    return refs, other_audio


def _config_wav(root_path: Path, value: object) -> Optional[Path]:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parts = safe_parts(value.strip())
    except BadInput:
        return None
    return root_path.joinpath(*parts) if parts else None


def _plain_reference(base: Path, rel: PurePosixPath, labs, listed) -> Reference:
    folders = rel.parts[:-1]
    low = [p.casefold() for p in folders]
    kind = "emotion" if "emotions" in low else "random" if "randoms" in low else "plain"
    stem = rel.stem
    m = _EMOTION.match(stem)
    emotion = m.group("emotion").strip() if m else None
    lab = labs.get(rel.with_suffix("").as_posix().casefold())
    entry = listed.get(rel.name.casefold())
    text, source = "", "none"
    if lab is not None:
        text = (read_small_text(base / lab) or "").strip()
        source = "lab" if text else "none"
    if not text and entry and entry[1]:
        text, source = entry[1], "list"
    if not text:
        text = (m.group("text") if m else stem).strip()
        source = "filename" if any(c.isalpha() for c in text) else "none"
        if source == "none":
            text = ""
    lang = label = lang_source = None
    for part in reversed(folders):
        code = folder_lang(part)
        if code:
            lang, label, lang_source = code, part, "folder"
            break
    if lang is None and entry:
        lang = norm_lang(entry[0])
        if lang:
            label, lang_source = entry[0], "list"
    return Reference(
        path=base / rel,
        rel=rel.as_posix(),
        text=text,
        text_source=source,
        emotion=emotion,
        lang=lang,
        lang_source=lang_source,
        label=label,
        kind=kind,
        default_mark=emotion == "默认",
    )


def _measured(ref: Reference) -> Reference:
    try:
        ref.seconds = audio.measure(ref.path)
        ref.in_range = audio.reference_in_range(ref.seconds)
    except LauncherError as exc:
        ref.error = exc.key
    return ref
