"""`init`: remember a GPT-SoVITS package and propose a profile per trained character."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from launcher.errors import LauncherError
from launcher.paths import Layout, Settings, save_settings
from launcher.profiles.schema import Profile, save_profile

# Folders (relative to the root) where users and packs keep reference audio per character.
REFERENCE_FOLDERS = ("参考音频", "reference_audios", "reference", "refs", "ref")

PROFILE_HEADER = (
    "# sovits-launch 角色配置（UTF-8）。路径可以是绝对路径，或相对于 GPT-SoVITS 根目录。\n"
    "# 参考音频须为 3~10 秒；prompt_text 是参考音频里说的话。\n"
)


@dataclass
class ProposedProfile:
    name: str
    path: str | None  # the profile file written, None if kept
    status: str  # "created" | "kept" | "replaced"
    needs_reference: bool
    gpt: str
    sovits: str
    ref_audio: str | None


@dataclass
class InitResult:
    root: str
    python: str | None
    settings_file: str
    profiles: list[ProposedProfile] = field(default_factory=list)
    unpaired: list[str] = field(default_factory=list)


def initialize(
    root: Path,
    *,
    layout: Layout,
    settings: Settings,
    python: Path | None = None,
    overwrite: bool = False,
) -> InitResult:
    from launcher.gsv import package

    root = Path(root).expanduser().resolve()
    info = package.inspect_root(root, python)
    found = package.discover_characters(root)
    api = "v2" if info.api_v2 else "v1"

    settings.gsv_root = str(root)
    if python:
        settings.python = str(Path(python).resolve())
    settings_file = save_settings(settings, layout)
    result = InitResult(root=str(root), python=str(info.python) if info.python else None, settings_file=str(settings_file))

    for character in found.characters:
        base, lang = package.strip_lang_suffix(character.name)
        name = base or character.name
        ref, prompt = find_reference(root, name, character.name)
        profile = Profile(
            name=name,
            display_name=name,
            api=api,
            gpt=_relative(character.gpt, root),
            sovits=_relative(character.sovits, root),
            ref_audio=_relative(ref, root) if ref else None,
            prompt_text=prompt or "",
            prompt_lang=lang or "zh",
            text_lang=lang or "zh",
        )
        target = layout.profiles / f"{name}.yaml"
        existed = target.exists()
        if existed and not overwrite:
            result.profiles.append(
                ProposedProfile(name, None, "kept", profile.needs_reference, profile.gpt, profile.sovits, profile.ref_audio)
            )
            continue
        written = save_profile(profile, layout.profiles, overwrite=overwrite, header=PROFILE_HEADER)
        result.profiles.append(
            ProposedProfile(
                name,
                str(written),
                "replaced" if existed else "created",
                profile.needs_reference,
                profile.gpt,
                profile.sovits,
                profile.ref_audio,
            )
        )
    result.unpaired = [str(p) for p in list(found.unpaired_gpt) + list(found.unpaired_sovits)]
    return result


def find_reference(root: Path, *names: str) -> tuple[Path | None, str | None]:
    """A 3-10 s WAV for a character from the usual folders, with its transcript
    (a `.lab` beside it, else the file name, as GSVI packs name them)."""
    from launcher import audio

    for folder_name in REFERENCE_FOLDERS:
        for name in names:
            folder = root / folder_name / name
            if not folder.is_dir():
                continue
            for wav in sorted(folder.rglob("*.wav")):
                try:
                    seconds = audio.measure(wav)
                except LauncherError:
                    continue
                if audio.reference_in_range(seconds):
                    return wav, _transcript(wav)
    return None, None


def _transcript(wav: Path) -> str:
    from launcher.fsio import read_small_text

    text = read_small_text(wav.with_suffix(".lab"))
    if text is not None:
        return text.strip()
    stem = wav.stem
    if "】" in stem:  # AI-Hobbyist: 【情绪】台词
        stem = stem.split("】", 1)[1]
    return stem


def _relative(path: Path | None, root: Path) -> str | None:
    if path is None:
        return None
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)
