"""What training leaves in a 整合包, for tests and benchmarks: the sliced clips, their texts, the ASR list.

Laid out as upstream writes it (GPT_SoVITS/prepare_datasets/, tools/asr/):
`logs/<exp>/5-wav32k/<clip>.wav` (32 kHz mono 16-bit), `logs/<exp>/2-name2text.txt`
(`name<TAB>phones<TAB>word2ph<TAB>normalised text`) and `output/asr_opt/<folder>.list`
(`path|speaker|LANG|text`, the path as the user typed the slicer's folder).

The clips are sparse files: a real header and the right size, no data blocks, so a
tree of thousands of 5 s clips costs almost no disk and no time.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

RATE = 32000


@dataclass
class Clip:
    seconds: float
    text: str
    lang: str = "ZH"
    name: Optional[str] = None  # default: upstream's slicer name, `<source>.wav_<start>_<end>.wav`


def sparse_wav(path: Path, seconds: float, rate: int = RATE, channels: int = 1) -> Path:
    """A 16-bit PCM WAV header for `seconds` of audio, the data left as a hole (reads as silence)."""
    frames = int(round(seconds * rate))
    data_size = frames * 2 * channels
    fmt = struct.pack("<HHIIHH", 1, channels, rate, rate * 2 * channels, 2 * channels, 16)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        f.write(b"RIFF" + struct.pack("<I", 36 + data_size) + b"WAVE")
        f.write(b"fmt " + struct.pack("<I", 16) + fmt)
        f.write(b"data" + struct.pack("<I", data_size))
        f.truncate(44 + data_size)
    return path


def normalise(text: str) -> str:
    """Roughly what upstream's text normalisation does to Chinese punctuation."""
    return text.replace("，", ",").replace("。", ".").replace("！", "!").replace("？", "?")


def make_training(
    root: Path,
    exp: str,
    clips: Iterable[Clip],
    *,
    list_name: Optional[str] = "slicer_opt",
    list_prefix: str = "D:\\GPT-SoVITS\\output\\slicer_opt\\",
    name2text: bool = True,
    rate: int = RATE,
) -> list[Path]:
    """Write one experiment's outputs; returns the clip files in order."""
    root = Path(root)
    folder = root / "logs" / exp / "5-wav32k"
    folder.mkdir(parents=True, exist_ok=True)
    written, lines, norm = [], [], []
    for i, clip in enumerate(clips):
        name = clip.name or f"{exp}_source.wav_{i * 160000:010d}_{(i + 1) * 160000:010d}.wav"
        written.append(sparse_wav(folder / name, clip.seconds, rate))
        lines.append(f"{list_prefix}{name}|slicer_opt|{clip.lang}|{clip.text}")
        norm.append(f"{name}\tn i3 h ao3\t[2, 2]\t{normalise(clip.text)}")
    if name2text:
        (folder.parent / "2-name2text.txt").write_text("\n".join(norm) + "\n", encoding="utf-8")
    if list_name:
        asr = root / "output" / "asr_opt"
        asr.mkdir(parents=True, exist_ok=True)
        (asr / f"{list_name}.list").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return written


def many_clips(count: int, *, best_at: int | None = None) -> list[Clip]:
    """`count` clips, none of them ideal (2.5 s, 11 s, or 9 s without a full stop), except
    one ideal 6 s sentence at `best_at` (default: near the end)."""
    best = count - 7 if best_at is None else best_at
    out = []
    for i in range(count):
        if i == best:
            out.append(Clip(6.0, "这就是我要找的那一句。"))
        elif i % 3 == 0:
            out.append(Clip(2.5, "太短了。"))
        elif i % 3 == 1:
            out.append(Clip(11.0, "这一段太长了。"))
        else:
            out.append(Clip(9.0, "这一段没有句号"))
    return out
