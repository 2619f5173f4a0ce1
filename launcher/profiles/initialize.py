"""`init`: remember a GPT-SoVITS package and propose a profile per trained character.

Each new profile gets a reference (a 3-10 s WAV from the usual reference folders,
else a clip chosen from the character's own training outputs: training.py) and,
when the package's runtime was asked what its torch can do, the device and
precision that hardware needs (no usable CUDA: `device: cpu`, `half: false`; a GPU
without fast fp16, such as the GTX 10 and 16 series: `half: false`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

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
    reference: dict[str, Any] | None = None  # where the reference came from, and why this one
    device: str | None = None
    half: bool | None = None


@dataclass
class HardwareDefaults:
    """What new profiles get from the runtime's answer; `why` names the reason."""

    device: str | None = None
    half: bool | None = None
    why: str = "not_probed"  # not_probed | probe_failed | no_torch | no_cuda | gpu_unusable | no_fp16 | gpu_ok | unknown
    gpu: str | None = None
    torch: str | None = None
    error: str | None = None
    cached: bool = False


@dataclass
class InitResult:
    root: str
    python: str | None
    settings_file: str
    profiles: list[ProposedProfile] = field(default_factory=list)
    unpaired: list[str] = field(default_factory=list)
    hardware: HardwareDefaults = field(default_factory=HardwareDefaults)
    notices: list[dict[str, Any]] = field(default_factory=list)  # {key, params}


def hardware_defaults(result) -> HardwareDefaults:
    """device/half for new profiles from a `probe.ProbeResult` (None: not asked).

    Mirrors upstream's own choice (config.py, see probe.py): no CUDA or a GPU it
    would not use -> the CPU in fp32; a GPU without usable fp16 -> fp32.
    """
    if result is None:
        return HardwareDefaults()
    facts = {"torch": result.torch, "error": result.error, "cached": bool(getattr(result, "cached", False))}
    if not result.ok:
        return HardwareDefaults(why="probe_failed", **facts)
    if not result.torch:
        return HardwareDefaults(why="no_torch", **facts)
    if not result.cuda_available:
        return HardwareDefaults("cpu", False, "no_cuda", **facts)
    gpu = result.device("cuda")
    if gpu is None:
        return HardwareDefaults(why="unknown", **facts)
    if not gpu.usable:
        return HardwareDefaults("cpu", False, "gpu_unusable", gpu.name, **facts)
    if not gpu.fp16:
        return HardwareDefaults(None, False, "no_fp16", gpu.name, **facts)
    return HardwareDefaults(why="gpu_ok", gpu=gpu.name, **facts)


def initialize(
    root: Path,
    *,
    layout: Layout,
    settings: Settings,
    python: Path | None = None,
    overwrite: bool = False,
    hardware: Callable[[Any], Any] | None = None,
) -> InitResult:
    """`hardware(info)` asks the package's runtime (probe.ProbeResult, or None); it is
    called once, after the folder proved to be a GPT-SoVITS package."""
    from launcher.gsv import package
    from launcher.profiles import training

    root = Path(root).expanduser().resolve()
    info = package.inspect_root(root, python)
    found = package.discover_characters(root)
    api = "v2" if info.api_v2 else "v1"
    new = overwrite or any(not (layout.profiles / f"{_profile_name(c.name)}.yaml").exists() for c in found.characters)
    defaults = hardware_defaults(hardware(info) if hardware and new else None)
    lists = training.read_lists(training.asr_lists(root)) if found.characters else training.ListFiles()

    settings.gsv_root = str(root)
    if python:
        settings.python = str(Path(python).resolve())
    settings_file = save_settings(settings, layout)
    result = InitResult(
        root=str(root),
        python=str(info.python) if info.python else None,
        settings_file=str(settings_file),
        hardware=defaults,
    )
    result.notices = [{"key": "init.list_unreadable", "params": {"path": str(p)}} for p in lists.unreadable]

    for character in found.characters:
        lang = package.strip_lang_suffix(character.name)[1]
        name = _profile_name(character.name)
        profile = Profile(
            name=name,
            display_name=name,
            api=api,
            gpt=_relative(character.gpt, root),
            sovits=_relative(character.sovits, root),
            prompt_lang=lang or "zh",
            text_lang=lang or "zh",
            device=defaults.device,
            half=defaults.half,
        )
        target = layout.profiles / f"{name}.yaml"
        existed = target.exists()
        if existed and not overwrite:
            result.profiles.append(_kept(target, profile))
            continue
        reference = choose_reference(root, profile, character.name, lists)
        header = PROFILE_HEADER + provenance(reference, defaults, name)
        written = save_profile(profile, layout.profiles, overwrite=overwrite, header=header)
        result.profiles.append(
            ProposedProfile(
                name,
                str(written),
                "replaced" if existed else "created",
                profile.needs_reference,
                profile.gpt,
                profile.sovits,
                profile.ref_audio,
                reference,
                profile.device,
                profile.half,
            )
        )
    result.unpaired = [str(p) for p in list(found.unpaired_gpt) + list(found.unpaired_sovits)]
    return result


def choose_reference(root: Path, profile: Profile, experiment: str, lists=None) -> dict[str, Any]:
    """Fill `profile`'s reference: a WAV from the reference folders, else a clip from the
    character's training outputs (`logs/<experiment>/`). Returns where it came from and why
    (`source`: folder | training | none), for the user and for `--json`."""
    from launcher.gsv import package
    from launcher.profiles import training

    ref, prompt = find_reference(root, profile.name, experiment)
    if ref is not None:
        profile.ref_audio, profile.prompt_text = _relative(ref, root), prompt or ""
        return {"source": "folder", "path": profile.ref_audio}
    names = [experiment] + [n for n in training.experiment_names(profile.sovits, profile.gpt) if n != experiment]
    scan = training.scan_training(root, names, lists)
    if scan.pick is None:
        return {"source": "none", "reason": scan.reason, "folder": str(scan.folder) if scan.folder else None, "clips": scan.clips}
    pick = scan.pick
    profile.ref_audio, profile.prompt_text = _relative(pick.path, root), pick.text
    if pick.lang:
        profile.prompt_lang = pick.lang
        if not package.strip_lang_suffix(experiment)[1]:  # no _ZH/_EN suffix: speak as the clips do
            profile.text_lang = pick.lang
    return {
        "source": "training",
        "path": profile.ref_audio,
        "seconds": round(pick.seconds, 2),
        "why": pick.why,
        "text_source": pick.text_source,
        "lang": pick.lang,
        "lang_source": pick.lang_source,
        "clips": pick.clips,
        "headers_read": pick.measured,
        "folder": str(scan.folder),
    }


_WHY_ZH = {"ideal": "4~8 秒、句子完整", "ideal_length": "4~8 秒", "sentence": "句子完整", "in_range": "3~10 秒"}
_HARDWARE_ZH = {
    "no_cuda": "整合包的 PyTorch 用不了显卡",
    "gpu_unusable": "显卡显存不足 4 GB 或架构太老",
    "no_fp16": "显卡不适合半精度",
}


def provenance(reference: dict[str, Any], hw: HardwareDefaults, name: str) -> str:
    """Comment lines saying where init's choices came from, so the file itself tells."""
    from launcher import audio

    lines = []
    if reference.get("source") == "training":
        text_from = "识别结果 .list" if reference["text_source"] == "list" else "2-name2text.txt"
        lines.append(
            f"# ref_audio 由 init 从训练素材（{reference['clips']} 段）中选出：{audio.seconds_text(reference['seconds'], 1)} 秒，"
            f"{_WHY_ZH[reference['why']]}；文本取自{text_from}。换一段：sovits-launch ref {name} <wav>\n"
        )
    if hw.why in _HARDWARE_ZH:
        gpu = f"（{hw.gpu}）" if hw.gpu else ""
        lines.append(f"# device/half 由 init 按这台电脑写入：{_HARDWARE_ZH[hw.why]}{gpu}。\n")
    return "".join(lines)


def _profile_name(experiment: str) -> str:
    from launcher.gsv import package

    return package.strip_lang_suffix(experiment)[0] or experiment


def _kept(target: Path, proposed: Profile) -> ProposedProfile:
    """An existing profile stays as the user has it; whether it lacks a reference is read from it."""
    from launcher.profiles.schema import load_profile

    try:
        needs = load_profile(target).needs_reference
    except LauncherError:
        needs = False  # a broken file: `list` and `doctor` say what is wrong with it
    return ProposedProfile(proposed.name, None, "kept", needs, proposed.gpt, proposed.sovits, None)


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
