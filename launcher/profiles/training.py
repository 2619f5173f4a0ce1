"""A character's training outputs in a 整合包, and the clip among them that makes the best reference.

What training leaves (upstream GPT_SoVITS/prepare_datasets/, tools/asr/, webui.py):

- `output/asr_opt/<folder>.list`: one line per sliced clip, `path|speaker|LANG|text`; the
  path is the clip as the user named the slicer's folder (relative or absolute, Windows
  separators too), LANG upper case (ZH, EN, JA, KO, YUE), text the ASR's original text.
- `logs/<experiment>/2-name2text.txt`: `name<TAB>phones<TAB>word2ph<TAB>normalised text`,
  name = the clip's file name.
- `logs/<experiment>/5-wav32k/<name>`: the clip, resampled to 32 kHz mono 16-bit.
- The experiment name is the weights' prefix: `<exp>-e10.ckpt`, `<exp>_e10_s400.pth`.

The choice: 3-10 s (upstream's rule) with a text; a 4-8 s clip whose text ends a sentence
first, then the one closest to 6 s. Thousands of clips stay fast: the 32 kHz clips' lengths
are estimated from their file sizes and only the best candidates' WAV headers are read
(every header when a first one disagrees with its estimate: a folder not written by upstream).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from launcher import audio
from launcher.errors import LauncherError, Notice

CLIPS_FOLDER = "5-wav32k"
NAME2TEXT = "2-name2text.txt"
ASR_FOLDER = Path("output") / "asr_opt"
LOGS_FOLDER = "logs"  # config.py exp_root

# 5-wav32k: scipy's wavfile.write of int16 mono at 32 kHz behind a 44-byte header.
CLIP_RATE, CLIP_WIDTH, CLIP_HEADER = 32000, 2, 44
ESTIMATE_TOLERANCE = 0.05  # seconds
IDEAL_MIN, IDEAL_MAX, IDEAL_MID = 4.0, 8.0, 6.0
SENTENCE_END = tuple("。！？!?.…~～」』”\"")
MAX_LIST_BYTES = 64 * 1024 * 1024

# The .list's LANG column (1-get-text.py accepts these) -> profile code.
LIST_LANGS = {"ZH": "zh", "JA": "ja", "JP": "ja", "EN": "en", "KO": "ko", "YUE": "yue"}


# --- texts ------------------------------------------------------------------------


@dataclass
class ListEntry:
    lang: str  # as written (ZH, EN, ...)
    text: str
    source: Path  # the .list file


@dataclass
class ListFiles:
    """Every line of some `.list` files by clip file name, and the files that could not be read."""

    entries: dict[str, ListEntry] = field(default_factory=dict)
    unreadable: list[Path] = field(default_factory=list)
    _folded: dict[str, ListEntry] | None = None

    def get(self, name: str) -> ListEntry | None:
        """By the exact name (upstream writes the clip's own), else ignoring case (Windows does)."""
        hit = self.entries.get(name)
        if hit is None and self.entries:
            if self._folded is None:
                self._folded = {k.casefold(): v for k, v in reversed(list(self.entries.items()))}
            hit = self._folded.get(name.casefold())
        return hit


def clip_name(path_text: str) -> str:
    """The file name of a `.list` path, written with / or \\ separators."""
    text = path_text.strip()
    return text[max(text.rfind("/"), text.rfind("\\")) + 1 :]


def parse_list(text: str, source: Path) -> dict[str, ListEntry]:
    out: dict[str, ListEntry] = {}
    for line in text.splitlines():
        fields = line.strip().split("|", 3)
        if len(fields) != 4:
            continue
        name = clip_name(fields[0])
        if name and fields[3].strip():
            out.setdefault(name, ListEntry(fields[2].strip(), fields[3].strip(), source))
    return out


def read_list(path: Path) -> dict[str, ListEntry] | None:
    """A `.list` in UTF-8 (upstream's encoding; GB18030 from Notepad tolerated); None when unreadable."""
    try:
        if path.stat().st_size > MAX_LIST_BYTES:
            return None
        raw = path.read_bytes()
    except OSError:
        return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return parse_list(raw.decode(encoding), path)
        except UnicodeDecodeError:
            continue
    return None


def read_lists(paths: list[Path], prefer: set[str] | None = None) -> ListFiles:
    """Merge `.list` files; with `prefer` (clip names), the list naming most of them wins a clash."""
    result = ListFiles()
    parsed: list[dict[str, ListEntry]] = []
    for path in paths:
        entries = read_list(path)
        if entries is None:
            result.unreadable.append(path)
        else:
            parsed.append(entries)
    if prefer:
        parsed.sort(key=lambda e: -len(prefer & e.keys()))
    for entries in parsed:
        for key, entry in entries.items():
            result.entries.setdefault(key, entry)
    return result


def asr_lists(root: Path) -> list[Path]:
    folder = Path(root) / ASR_FOLDER
    try:
        return sorted(p for p in folder.iterdir() if p.suffix.lower() == ".list" and p.is_file())
    except OSError:
        return []


def read_name2text(path: Path) -> dict[str, str]:
    """`2-name2text.txt`: clip file name -> normalised text ({} when missing or unreadable)."""
    try:
        text = path.read_bytes().decode("utf-8", "replace")
    except OSError:
        return {}
    out: dict[str, str] = {}
    for line in text.splitlines():
        fields = line.split("\t")
        if len(fields) >= 4 and fields[0].strip() and fields[3].strip():
            out[fields[0].strip()] = fields[3].strip()
    return out


def list_lang(value: str) -> str | None:
    return LIST_LANGS.get(value.strip().upper())


def guess_lang(text: str) -> str | None:
    """The language a transcript is written in, from its script: kana, hangul, CJK, Latin."""
    if any("\u3040" <= c <= "\u30ff" for c in text):
        return "ja"
    if any("\uac00" <= c <= "\ud7af" for c in text):
        return "ko"
    if any("\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" for c in text):
        return "zh"
    if any(c.isascii() and c.isalpha() for c in text):
        return "en"
    return None


def has_words(text: str) -> bool:
    return any(c.isalpha() for c in text)


def ends_sentence(text: str) -> bool:
    return text.rstrip().endswith(SENTENCE_END)


# --- training outputs -----------------------------------------------------------------------


@dataclass
class TrainingPick:
    """The clip chosen from an experiment's training outputs, and why."""

    path: Path
    seconds: float
    text: str
    text_source: str  # list | name2text
    lang: str | None
    lang_source: str | None  # list | text
    why: str  # ideal | ideal_length | sentence | in_range
    clips: int  # clips in the folder
    measured: int  # WAV headers read


@dataclass
class TrainingScan:
    """What an experiment folder offered: a pick, or why there is none."""

    folder: Path | None
    pick: TrainingPick | None = None
    reason: str | None = None  # when no pick: no_folder | no_clips | no_text | none_in_range
    clips: int = 0
    notices: list[Notice] = field(default_factory=list)


def experiment_names(*weight_files: str | None) -> list[str]:
    """The training experiment names of weight files (`纳西妲-e10.ckpt` -> `纳西妲`), SoVITS first."""
    from launcher.gsv import package

    names: list[str] = []
    for f in weight_files:
        if not f:
            continue
        base = clip_name(f)
        parsed = package.parse_sovits_name(base) if base.lower().endswith(".pth") else package.parse_gpt_name(base)
        if parsed and parsed.name not in names:
            names.append(parsed.name)
    return names


def experiment_dir(root: Path, names: list[str]) -> Path | None:
    """`logs/<exp>` of the first name that has training outputs there."""
    for name in names:
        folder = Path(root) / LOGS_FOLDER / name
        if (folder / CLIPS_FOLDER).is_dir() or (folder / NAME2TEXT).is_file():
            return folder
    return None


@dataclass
class _Clip:
    name: str  # a path is made only for the clips measured: thousands cost more than the choice
    text: str
    text_source: str
    entry: ListEntry | None
    estimate: float


def scan_training(root: Path, names: list[str], lists: ListFiles | None = None) -> TrainingScan:
    """Pick a 3-10 s clip with a transcript from `logs/<exp>/` (first name with outputs)."""
    folder = experiment_dir(root, names)
    if folder is None:
        return TrainingScan(None, reason="no_folder")
    scan = TrainingScan(folder)
    clips_dir = str(folder / CLIPS_FOLDER)
    sizes = _clip_sizes(clips_dir)
    scan.clips = len(sizes)
    if not sizes:
        scan.reason = "no_clips"
        return scan
    if lists is None:
        lists = read_lists(asr_lists(root), prefer=set(sizes))
    for path in lists.unreadable:
        scan.notices.append(Notice("ref.list_unreadable", path=str(path)))
    norm = read_name2text(folder / NAME2TEXT)
    clips = []
    for name, size in sizes.items():
        entry = lists.get(name)
        text, source = (entry.text, "list") if entry is not None else (norm.get(name, ""), "name2text")
        if has_words(text):
            estimate = (size - CLIP_HEADER) / float(CLIP_RATE * CLIP_WIDTH)
            clips.append(_Clip(name, text, source, entry, estimate))
    if not clips:
        scan.reason = "no_text"
        return scan
    scan.pick = _choose(clips, scan.clips, Path(clips_dir))
    if scan.pick is None:
        scan.reason = "none_in_range"
    return scan


def _clip_sizes(folder: str) -> dict[str, int]:
    sizes: dict[str, int] = {}
    try:
        with os.scandir(folder) as it:
            for entry in it:
                if entry.name.lower().endswith(".wav"):
                    try:
                        if entry.is_file():
                            sizes[entry.name] = entry.stat().st_size
                    except OSError:
                        continue  # deleted while we looked
    except OSError:
        return {}
    return sizes


def _rank(seconds: float, text: str) -> tuple[int, float]:
    ideal = IDEAL_MIN <= seconds <= IDEAL_MAX
    sentence = ends_sentence(text)
    tier = 0 if ideal and sentence else 1 if ideal else 2 if sentence else 3
    return tier, abs(seconds - IDEAL_MID)


_WHY = ("ideal", "ideal_length", "sentence", "in_range")


def _choose(clips: list[_Clip], total: int, folder: Path) -> TrainingPick | None:
    """The best clip by (tier, distance from 6 s, name), reading as few headers as it can."""
    low, high = audio.REF_MIN_SECONDS - ESTIMATE_TOLERANCE, audio.REF_MAX_SECONDS + ESTIMATE_TOLERANCE
    ranked = sorted((c for c in clips if low <= c.estimate <= high), key=lambda c: (_rank(c.estimate, c.text), c.name))
    measured = 0
    for clip in ranked:
        seconds = _seconds(folder / clip.name)
        measured += 1
        if seconds is None:
            continue  # deleted or damaged: the next one
        if abs(seconds - clip.estimate) > ESTIMATE_TOLERANCE:
            return _choose_exact(clips, total, folder)  # not upstream's clip format: read every header
        if audio.reference_in_range(seconds):
            return _pick(clip, folder, seconds, total, measured)
    return None


def _choose_exact(clips: list[_Clip], total: int, folder: Path) -> TrainingPick | None:
    best = None
    for clip in clips:
        seconds = _seconds(folder / clip.name)
        if seconds is None or not audio.reference_in_range(seconds):
            continue
        key = (_rank(seconds, clip.text), clip.name)
        if best is None or key < best[0]:
            best = (key, clip, seconds)
    return _pick(best[1], folder, best[2], total, len(clips)) if best else None


def _seconds(path: Path) -> float | None:
    try:
        return audio.wav_info(path).seconds
    except LauncherError:
        return None


def _pick(clip: _Clip, folder: Path, seconds: float, total: int, measured: int) -> TrainingPick:
    lang, lang_source = None, None
    if clip.entry is not None and list_lang(clip.entry.lang):
        lang, lang_source = list_lang(clip.entry.lang), "list"
    elif guess_lang(clip.text):
        lang, lang_source = guess_lang(clip.text), "text"
    return TrainingPick(
        path=folder / clip.name,
        seconds=seconds,
        text=clip.text,
        text_source=clip.text_source,
        lang=lang,
        lang_source=lang_source,
        why=_WHY[_rank(seconds, clip.text)[0]],
        clips=total,
        measured=measured,
    )
