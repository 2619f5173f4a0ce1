"""Choosing among what a pack offers: the weight files, the default reference, the emotions, the languages.

- weights: the only `.ckpt`/`.pth`, else the one `--gpt`/`--sovits` names, else
  the one infer_config.json names; two candidates are an error that lists them;
- default reference: among 3-10 s references, in the model's language first
  (Chinese when unknown): `【默认】` (or infer_config's `default`), then a neutral
  emotion, then the first one; every other named emotion in range goes to
  `emotions:`;
- prompt_lang: the reference's language folder (中文 -> all_zh), else the
  `.list`/infer_config entry, else the weights' `_ZH` suffix, else the script
  of the transcript; text_lang: the mixed code of the model's language (zh).

Each choice comes with its reason: a message key `packs.why.*` and its params.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from launcher.errors import BadInput
from launcher.gsv import languages
from launcher.gsv import package
from launcher.packs.names import guess_lang
from launcher.packs.references import Reference
from launcher.packs.scan import CharacterScan, PackScan, short_list

NEUTRAL_EMOTIONS = ("平静", "中立", "正常", "普通", "自然", "日常", "neutral", "normal", "calm")
_MIXED = {"all_zh": "zh", "all_ja": "ja", "all_ko": "ko", "all_yue": "yue", "auto_yue": "yue"}
_KIND_ORDER = {"emotion": 0, "plain": 1, "random": 2}


def _matches(candidate: Path, selector: str, scan: PackScan) -> bool:
    s = selector.strip().replace("\\", "/")
    if not s:
        return False
    if s.casefold() in (candidate.name.casefold(), scan.rel(candidate).casefold()):
        return True
    try:
        return Path(selector).resolve() == candidate.resolve()
    except OSError:
        return False


def pick_weight(
    ch: CharacterScan, candidates: list[Path], selectors: list[str], hint, ext: str, flag: str, scan: PackScan, single: bool
):
    """(the weight file, (reason key, params)) among `candidates`; BadInput when none or several fit."""
    rel = scan.rel
    if not candidates:
        raise BadInput("packs.missing_weight", character=ch.display_name, ext=ext, folder=_folder(ch))
    if selectors:
        hits = [c for c in candidates if any(_matches(c, s, scan) for s in selectors)]
        if len(hits) == 1:
            return hits[0], ("packs.why.option", {"flag": flag})
        if not hits and single:
            raise BadInput(
                "packs.choice_not_found", flag=flag, value=", ".join(selectors), files=short_list(rel(c) for c in candidates)
            )
        if hits:
            candidates = hits
    if len(candidates) == 1:
        return candidates[0], ("packs.why.only_candidate", {"ext": ext})
    if hint is not None and hint in candidates:
        return hint, ("packs.why.infer_config", {})
    raise BadInput(
        "packs.ambiguous_weights",
        character=ch.display_name,
        ext=ext,
        count=len(candidates),
        flag=flag,
        example=candidates[-1].name,
        details=[rel(c) for c in candidates],
    )


def _folder(ch: CharacterScan) -> str:
    return ch.folder if ch.folder != "." else ch.display_name


def is_lfs_pointer(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(24).startswith(b"version https://git-lfs")
    except OSError:
        return False


def check_gpt(path: Path, shown: str) -> None:
    if is_lfs_pointer(path):
        raise BadInput("packs.lfs_pointer", path=shown)
    if not package.gpt_checkpoint_ok(path):
        raise BadInput("packs.bad_gpt", path=shown)


def version_reason(path: Path, sv: package.SovitsVersion) -> tuple[str, dict]:
    if sv.source == "pretrained":
        return "packs.why.version_pretrained", {}
    if sv.source == "size":
        return "packs.why.version_size", {"size": f"{path.stat().st_size / (1 << 20):.0f} MiB"}
    with path.open("rb") as f:
        head = f.read(2).decode("ascii", "replace")
    return "packs.why.version_header", {"head": head}


def _family(code: Optional[str]) -> Optional[str]:
    if not code or code == "auto":
        return None
    return _MIXED.get(code, code)


def choose_reference(ch: CharacterScan) -> tuple[Optional[Reference], tuple[str, dict], list[Reference]]:
    """(the default reference, (reason key, params), default-marked references skipped for their length)."""
    want = _family(ch.lang) or "zh"

    def lang_rank(r: Reference) -> int:
        fam = _family(r.lang)
        return 0 if fam == want else 1 if fam is None else 2

    def tier(r: Reference) -> int:
        if r.default_mark:
            return 0
        if r.emotion and r.emotion.casefold() in NEUTRAL_EMOTIONS:
            return 1
        return 2

    usable = [r for r in ch.references if r.in_range]
    skipped = [r for r in ch.references if r.default_mark and r.seconds is not None and not r.in_range]
    if not usable:
        return None, ("", {}), skipped
    best = min(usable, key=lambda r: (lang_rank(r), tier(r), _KIND_ORDER.get(r.kind, 3), r.rel))
    t = tier(best)
    if t == 0:
        mark = "【默认】" if best.emotion == "默认" else "infer_config.json: " + (best.emotion or "")
        return best, ("packs.why.default_mark", {"mark": mark}), skipped
    if t == 1:
        return best, ("packs.why.neutral", {"emotion": best.emotion}), skipped
    return best, ("packs.why.first_in_range", {}), skipped


def emotion_references(ch: CharacterScan, default: Optional[Reference]) -> tuple[list[tuple[str, Reference]], list[Reference]]:
    """([(emotion key, reference)] for the profile, named emotions skipped for their length)."""
    want = _family(ch.lang) or (_family(default.lang) if default else None) or "zh"
    named = [r for r in ch.references if r.emotion and r is not default and r.kind != "random"]
    named.sort(key=lambda r: (0 if _family(r.lang) in (want, None) else 1, r.rel))
    out: list[tuple[str, Reference]] = []
    skipped: list[Reference] = []
    taken: set[str] = set()
    for r in named:
        if not r.in_range:
            if r.seconds is not None:
                skipped.append(r)
            continue
        key = r.emotion or ""
        if key.casefold() in taken and r.label:
            key = f"{r.emotion}（{r.label}）"
        n = 2
        base = key
        while key.casefold() in taken:
            key = f"{base} {n}"
            n += 1
        taken.add(key.casefold())
        out.append((key, r))
    return out, skipped


def reference_lang(ref: Reference, ch: CharacterScan) -> tuple[str, tuple[str, dict]]:
    """A reference's prompt language and why."""
    if ref.lang:
        return ref.lang, ("packs.why.lang_" + (ref.lang_source or "folder"), {"label": ref.label or ref.lang})
    if ch.lang:
        return ch.lang, ("packs.why.lang_" + (ch.lang_source or "name_suffix"), {"label": ch.lang_label or ch.lang})
    guess = guess_lang(ref.text)
    if guess:
        return guess, ("packs.why.lang_script", {})
    return "zh", ("packs.why.lang_assumed", {})



def text_lang(ch: CharacterScan, prompt_lang: str, version: str) -> str:
    fam = _family(ch.lang) or _family(prompt_lang)
    code = fam or "auto"
    return code if code in languages.languages_for(version) else "auto"
