"""Build community voice packs for tests and benchmarks: tiny weight files with
the real first bytes, generated WAVs, the GSVI / AI-Hobbyist / plain layouts, a
GBK-named zip as Chinese Windows writes it, and a library of many characters.

Benchmarks import it with `sys.path.insert(0, "tests")`.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Iterable, Optional, Sequence

from launcher.audio import write_wav

# process_ckpt.my_save2 writes these two ASCII bytes over the zip's "PK".
PTH_HEADS = {"v1": b"00", "v2": b"01", "v3": b"02", "v3-lora": b"03", "v4-lora": b"04", "v2Pro": b"05", "v2ProPlus": b"06"}
WAV_RATE = 4000  # tiny files; the 3-10 s rule works on the duration

NAMES = [
    "纳西妲", "胡桃", "刻晴", "钟离", "雷电将军", "神里绫华", "甘雨", "可莉", "温迪", "八重神子",
    "芙宁娜", "那维莱特", "流萤", "三月七", "银狼", "卡芙卡", "珂莱塔", "丹恒", "符玄", "黄泉",
]


def fake_ckpt(path: Path, payload: int = 64) -> Path:
    """A GPT checkpoint as torch.save writes it: a zip, so it starts with PK\\x03\\x04."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("archive/data.pkl", b"\x80\x02}q\x00." + bytes(payload))
    return path


def fake_pth(path: Path, version: str = "v2", payload: int = 64) -> Path:
    """A SoVITS weight file as process_ckpt.my_save2 writes it (the version digits over "PK");
    version "zip" leaves the plain torch zip (upstream then decides by size: v1 when small)."""
    fake_ckpt(path, payload)
    if version != "zip":
        data = path.read_bytes()
        path.write_bytes(PTH_HEADS[version] + data[2:])
    return path


def wav(path: Path, seconds: float = 4.0) -> Path:
    return write_wav(path, seconds, rate=WAV_RATE, sample_width=1)


def gsvi_character(
    folder: Path,
    *,
    gpt: str = "hutao-e75.ckpt",
    sovits: str = "hutao_e60_s3360.pth",
    version: str = "v2",
    refs: Sequence[tuple[str, float]] = (("胡桃今天也要开开心心的哦", 4.0),),
    infer_config: Optional[dict] = None,
) -> Path:
    """`trained/<角色>/`: one ckpt, one pth, WAVs named by their transcript, optional infer_config.json."""
    fake_ckpt(folder / gpt)
    fake_pth(folder / sovits, version)
    for text, seconds in refs:
        wav(folder / f"{text}.wav", seconds)
    if infer_config is not None:
        (folder / "infer_config.json").write_text(json.dumps(infer_config, ensure_ascii=False, indent=4), encoding="utf-8")
    return folder


def aihobbyist_model(
    folder: Path,
    *,
    name: str = "纳西妲",
    version: str = "v4-lora",
    emotions: Sequence[tuple[str, str, float]] = (
        ("默认", "这个身体似乎不会老去，但我想见的人，却都离去了。", 5.0),
        ("开心", "你今天看起来很高兴呢", 4.0),
        ("生气", "不许这样对待花草", 3.5),
    ),
    language: str = "中文",
    randoms: Sequence[tuple[str, float]] = (("随便说一句话吧", 4.0),),
    lang_first: bool = True,
) -> Path:
    """An AI-Hobbyist model folder: `<name>_ZH-e10.ckpt`, `<name>_ZH_e10_s1400_l32.pth`,
    `reference_audios/<语言>/emotions/【情绪】台词.wav` (or `emotions/<语言>/` when
    lang_first is False) and `randoms/` WAVs with `.lab` transcripts."""
    fake_ckpt(folder / f"{name}_ZH-e10.ckpt")
    fake_pth(folder / f"{name}_ZH_e10_s1400_l32.pth", version)
    refs = folder / "reference_audios"
    emo_dir = refs / language / "emotions" if lang_first else refs / "emotions" / language
    rnd_dir = refs / language / "randoms" if lang_first else refs / "randoms" / language
    for emotion, text, seconds in emotions:
        wav(emo_dir / f"【{emotion}】{text}.wav", seconds)
    for i, (text, seconds) in enumerate(randoms):
        wav(rnd_dir / f"{i:04d}.wav", seconds)
        (rnd_dir / f"{i:04d}.lab").write_text(text, encoding="utf-8")
    return folder


def plain_pack(
    folder: Path,
    *,
    name: str = "刻晴",
    version: str = "v2Pro",
    labs: Sequence[tuple[str, str, float]] = (("keqing_001", "不要停下脚步", 4.5),),
    list_entries: Sequence[tuple[str, str, str, float]] = (),
) -> Path:
    """ckpt + pth + WAVs with `.lab` transcripts and/or a training `.list` (path|speaker|lang|text)."""
    fake_ckpt(folder / f"{name}-e15.ckpt")
    fake_pth(folder / f"{name}_e8_s200.pth", version)
    for stem, text, seconds in labs:
        wav(folder / f"{stem}.wav", seconds)
        (folder / f"{stem}.lab").write_text(text, encoding="utf-8")
    if list_entries:
        lines = []
        for stem, lang, text, seconds in list_entries:
            wav(folder / "wavs" / f"{stem}.wav", seconds)
            lines.append(f"D:\\GPT-SoVITS\\output\\slicer_opt\\{stem}.wav|{name}|{lang}|{text}")
        (folder / f"{name}.list").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


class _RawNameInfo(zipfile.ZipInfo):
    """A member whose name is written in a chosen encoding without the UTF-8 flag, as
    Chinese Windows' “发送到 → 压缩文件夹” and old WinRAR/360压缩 do."""

    encoding = "gbk"

    def _encodeFilenameFlags(self):  # zipfile's hook for the bytes of the name
        return self.filename.encode(self.encoding), self.flag_bits & ~0x800


def zip_folder(
    folder: Path,
    target: Path,
    *,
    gbk: bool = False,
    wrap: Optional[str] = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """Zip every file under `folder`; names in GBK without the UTF-8 flag when `gbk`;
    all of them inside one `wrap/` folder when given."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression) as z:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            name = path.relative_to(folder).as_posix()
            if wrap:
                name = f"{wrap}/{name}"
            info = _RawNameInfo(name) if gbk else zipfile.ZipInfo(name)
            info.compress_type = compression
            z.writestr(info, path.read_bytes())
    return target


def zip_members(target: Path, members: Iterable[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    """A zip with exactly these members (for unsafe names, symlinks, bombs)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in members:
            z.writestr(info, data)
    return target


def character_name(i: int) -> str:
    return f"{NAMES[i % len(NAMES)]}{i:03d}"


def make_library(dest: Path, count: int = 200, *, emotions_every: int = 3) -> Path:
    """A GSVI `trained/` folder with `count` characters. Every `emotions_every`-th one has an
    infer_config.json with three emotions; versions rotate through v2, v2Pro, v2ProPlus, v1."""
    trained = dest / "trained"
    versions = ["v2", "v2Pro", "v2ProPlus", "v1"]
    for i in range(count):
        name = character_name(i)
        ident = f"char{i:03d}"
        refs = [(f"{name}的第一句台词", 4.0)]
        config = None
        if emotions_every and i % emotions_every == 0:
            refs += [(f"{name}开心地说", 5.0), (f"{name}难过地说", 6.0)]
            config = {
                "version": "1.0.1",
                "gpt_path": f"{ident}-e10.ckpt",
                "sovits_path": f"{ident}_e10_s500.pth",
                "emotion_list": {
                    "default": {"ref_wav_path": f"{name}的第一句台词.wav", "prompt_text": f"{name}的第一句台词", "prompt_language": "中文"},
                    "开心": {"ref_wav_path": f"{name}开心地说.wav", "prompt_text": f"{name}开心地说", "prompt_language": "中文"},
                    "难过": {"ref_wav_path": f"{name}难过地说.wav", "prompt_text": f"{name}难过地说", "prompt_language": "中文"},
                },
            }
        gsvi_character(
            trained / name,
            gpt=f"{ident}-e10.ckpt",
            sovits=f"{ident}_e10_s500.pth",
            version=versions[i % len(versions)],
            refs=refs,
            infer_config=config,
        )
    return trained


def make_package(root: Path, *, v1: bool = True, v2: bool = True) -> Path:
    """The parts of a GPT-SoVITS 整合包 an import needs (api scripts, GPT_SoVITS/, runtime python)."""
    (root / "GPT_SoVITS").mkdir(parents=True, exist_ok=True)
    if v1:
        (root / "api.py").write_text("# api\n", encoding="utf-8")
    if v2:
        (root / "api_v2.py").write_text("# api_v2\n", encoding="utf-8")
    exe = root / "runtime" / "python.exe"
    exe.parent.mkdir(parents=True, exist_ok=True)
    exe.write_bytes(b"MZ")
    return root


def weight_members() -> list:
    """The smallest pack a zip can hold: one GPT and one SoVITS file, as (name, bytes) for `zip_members`."""
    return [("a-e1.ckpt", b"PK\x03\x04" + bytes(20)), ("a_e1_s1.pth", b"01\x03\x04" + bytes(20))]
