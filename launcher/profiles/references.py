"""A profile's reference audio set from a WAV the user names (`ref`): measured, transcribed, written.

The text comes from `--text`, else a `.lab`/`.txt` beside the WAV (UTF-8 or GBK), else a
training `.list` line naming the file (training.py reads those), else the file name when it
reads as a sentence (the community convention `初次见面，我已经关注你很久了。.wav`). The
profile keeps its comments (update.py). Choosing among training clips is training.py's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from launcher import audio
from launcher.errors import BadInput, MissingFile, Notice
from launcher.fsio import read_small_text
from launcher.profiles.training import (
    ASR_FOLDER,
    CLIPS_FOLDER,
    LOGS_FOLDER,
    NAME2TEXT,
    ListEntry,
    ends_sentence,
    guess_lang,
    has_words,
    list_lang,
    read_lists,
    read_name2text,
)

_EMOTION_TAG = re.compile(r"^【[^】]*】")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\u3040-\u30ff\uac00-\ud7af]")
_INNER_PUNCT = re.compile(r"[，、；：,;:]")


def sentence_from_name(stem: str) -> str | None:
    """A file name that is its own transcript (`初次见面，我已经关注你很久了。.wav`,
    `【开心】胡桃今天也要开开心心的哦.wav`), else None (`vo_nahida_001`, `a.wav_0000_1520`)."""
    text = _EMOTION_TAG.sub("", stem).strip()
    if not text or "_" in text or sum(c.isdigit() for c in text) > 2:
        return None
    cjk = len(_CJK.findall(text))
    words = len(text.split())
    if ends_sentence(text) or _INNER_PUNCT.search(text):
        return text if cjk >= 2 or words >= 2 else None
    if cjk >= 6 or (cjk == 0 and words >= 4 and has_words(text)):
        return text
    return None


# --- a WAV the user names (`ref`) -------------------------------------------------------------


@dataclass
class WavReference:
    path: Path
    seconds: float
    text: str
    text_source: str  # option | lab | txt | list | name2text | filename
    lang: str | None
    lang_source: str | None  # option | list | text
    notices: list[Notice] = field(default_factory=list)


def describe_wav(
    wav: Path,
    *,
    text: str | None = None,
    lang: str | None = None,
    root: Path | None = None,
    api: str = "v2",
    ffprobe: Path | None = None,
    profile: str = "",
) -> WavReference:
    """Measure `wav` and find its transcript and language; raises keyed errors.

    The length rule is the start's: outside 3-10 s is refused for api_v2.py and a
    notice for api.py (it does not check).
    """
    from launcher.gsv import languages

    wav = Path(wav).expanduser()
    if not wav.is_file():
        raise MissingFile("ref.wav_missing", path=str(wav))
    wav = wav.resolve()
    seconds = audio.measure(wav, ffprobe)
    notices: list[Notice] = []
    if not audio.reference_in_range(seconds):
        if api == "v2":
            raise BadInput("ref.out_of_range", path=str(wav), seconds=audio.seconds_text(seconds), profile=profile)
        notices.append(Notice("ref.out_of_range_v1", path=str(wav), seconds=audio.seconds_text(seconds)))
    code = languages.normalize(lang) if lang else None
    if text is not None and text.strip():
        found, source, entry = " ".join(text.split()), "option", None
    else:
        found, source, entry = _transcript(wav, root, notices)
    lang_source = "option" if code else None
    if code is None and entry is not None and list_lang(entry.lang):
        code, lang_source = list_lang(entry.lang), "list"
    if code is None and guess_lang(found):
        code, lang_source = guess_lang(found), "text"
    return WavReference(wav, seconds, found, source, code, lang_source, notices)


def _transcript(wav: Path, root: Path | None, notices: list[Notice]) -> tuple[str, str, ListEntry | None]:
    for suffix in (".lab", ".txt"):
        side = wav.with_suffix(suffix)
        if side.is_file():
            content = read_small_text(side)
            if content is None:
                notices.append(Notice("ref.side_unreadable", path=str(side)))
            elif content.strip():
                return " ".join(content.split()), suffix[1:], None
    lists = read_lists(_lists_near(wav, root))
    entry = lists.get(wav.name)
    if entry is not None:
        return entry.text, "list", entry
    if wav.parent.name == CLIPS_FOLDER:
        norm = read_name2text(wav.parent.parent / NAME2TEXT).get(wav.name)
        if norm:
            return norm, "name2text", None
    named = sentence_from_name(wav.stem)
    if named:
        return named, "filename", None
    if lists.unreadable:
        raise BadInput("ref.no_text_list_unreadable", path=str(wav), list=str(lists.unreadable[0]))
    raise BadInput("ref.no_text", path=str(wav), name=wav.stem)


def _lists_near(wav: Path, root: Path | None) -> list[Path]:
    """`.list` files beside the clip, one folder up (output/slicer_opt -> output/asr_opt's
    parent holds both), in `output/asr_opt` of its package and of the profile's root."""
    folders = [wav.parent, wav.parent.parent, wav.parent.parent / "asr_opt"]
    for base in wav.parents:
        if (base / LOGS_FOLDER).is_dir() or (base / ASR_FOLDER).is_dir():
            folders.append(base / ASR_FOLDER)
            break
    if root is not None:
        folders.append(Path(root) / ASR_FOLDER)
    found: list[Path] = []
    for folder in folders:
        try:
            items = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".list" and p.is_file())
        except OSError:
            continue
        found += [p for p in items if p not in found]
    return found


@dataclass
class SetReference:
    """What `set_reference` did (or, with dry_run, would do)."""

    profile: str
    file: Path
    reference: WavReference
    before: dict[str, Any]
    after: dict[str, Any]
    backup: Path | None = None
    written: bool = False


def set_reference(
    profile,
    wav: Path,
    *,
    text: str | None = None,
    lang: str | None = None,
    root: Path | None = None,
    ffprobe: Path | None = None,
    dry_run: bool = False,
) -> SetReference:
    """Make `wav` the profile's reference (`ref`): checked, transcribed, written with comments kept."""
    from launcher.profiles.update import update_profile_file

    if profile.path is None:
        raise BadInput("profile.file_missing", path=profile.name)
    found = describe_wav(
        wav, text=text, lang=lang, root=root, api=profile.api, ffprobe=ffprobe, profile=str(profile.path)
    )
    after: dict[str, Any] = {"ref_audio": stored_path(found.path, root), "prompt_text": found.text}
    if found.lang:
        after["prompt_lang"] = found.lang
    before = {"ref_audio": profile.ref_audio, "prompt_text": profile.prompt_text, "prompt_lang": profile.prompt_lang}
    result = SetReference(profile.name, Path(profile.path), found, {k: before[k] for k in after}, after)
    if not dry_run:
        updated = update_profile_file(Path(profile.path), after)
        result.backup, result.written = updated.backup, True
    return result


def stored_path(path: Path, root: Path | None) -> str:
    """How a profile writes a file: relative to the GPT-SoVITS root when inside it, else absolute."""
    path = Path(path).resolve()
    if root is not None:
        try:
            return path.relative_to(Path(root).resolve()).as_posix()
        except ValueError:
            pass
    return str(path)


__all__ = ["WavReference", "SetReference", "describe_wav", "set_reference", "sentence_from_name", "stored_path"]
