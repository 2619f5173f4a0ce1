"""What a pack's names tell: profile ids from weight file names, telling folder names, languages.

A language comes from a folder name (中文, 日语, `en`), a label a pack wrote
(`ZH`, 多语种混合), or, as a last guess, the script of a transcript.
"""

from __future__ import annotations

import re
from typing import Optional

from launcher.errors import BadInput
from launcher.gsv import languages
from launcher.gsv import package
from launcher.profiles.schema import WINDOWS_BAD_CHARS, WINDOWS_DEVICE_NAMES

# Folder names that say nothing about the character.
_GENERIC = {
    "trained", "models", "model", "模型", "weights", "权重", "reference_audios", "参考音频",
    "refs", "ref", "reference", "emotions", "randoms", "gpt-sovits", "gsvi", "output",
}
_BAD_ID_CHARS = re.compile("[" + re.escape(WINDOWS_BAD_CHARS) + r"\x00-\x1f]")


def experiment_name(filename: str) -> Optional[str]:
    """The training experiment name of a weight file (`纳西妲_ZH-e10.ckpt` -> `纳西妲_ZH`), else None."""
    low = filename.lower()
    if low.endswith(".ckpt"):
        g = package.parse_gpt_name(filename)
        return g.name if g else None
    if low.endswith(".pth"):
        s = package.parse_sovits_name(filename)
        return s.name if s else None
    return None


def character_id(gpt_file: Optional[str], sovits_file: Optional[str]) -> tuple[Optional[str], Optional[str]]:
    """(id, language code) from the weight names, SoVITS first: `纳西妲_ZH_e10_s1400_l32.pth` -> (纳西妲, zh)."""
    for f in (sovits_file, gpt_file):
        if f:
            exp = experiment_name(f)
            if exp:
                base, lang = package.strip_lang_suffix(exp)
                clean = sanitize_id(base)
                if clean:
                    return clean, lang
    return None, None


def sanitize_id(name: str) -> str:
    """A profile id usable as a Windows file name and a command-line word ("" if nothing is left)."""
    text, previous = _BAD_ID_CHARS.sub("_", str(name)), None
    while text != previous:  # " - -" -> "- -" -> "-" -> "": until nothing more comes off
        previous, text = text, text.strip().rstrip(". ").lstrip("-").strip()
    if text in (".", ".."):
        return ""
    if text.split(".")[0].upper() in WINDOWS_DEVICE_NAMES:
        text += "_"
    return text


def is_generic(name: str) -> bool:
    low = name.casefold()
    return (
        low in _GENERIC
        or low in {v.casefold() for v in package.VERSIONS}
        or low.startswith(("gpt_weights", "sovits_weights"))
    )


def folder_lang(component: str) -> Optional[str]:
    """The code for a language folder name (中文, 日语, en, …), else None."""
    text = component.strip()
    if not text or (text.isascii() and text.lower() not in languages.CODES):
        return None  # an ASCII folder counts only when it is exactly a code
    try:
        return languages.normalize(text)
    except BadInput:
        return None


def guess_lang(text: str) -> Optional[str]:
    """The language a transcript is written in, from its script: kana, hangul, CJK, Latin."""
    kana = any("\u3040" <= c <= "\u30ff" for c in text)
    hangul = any("\uac00" <= c <= "\ud7af" or "\u1100" <= c <= "\u11ff" for c in text)
    cjk = any("\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" for c in text)
    latin = any(c.isascii() and c.isalpha() for c in text)
    if kana:
        return "all_ja"
    if hangul:
        return "all_ko"
    if cjk:
        return "zh" if latin else "all_zh"
    if latin:
        return "en"
    return None



def norm_lang(value: object) -> Optional[str]:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return languages.normalize(value.strip())
    except BadInput:
        try:
            return languages.normalize(value.strip().lower())
        except BadInput:
            return None
