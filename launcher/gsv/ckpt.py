"""What a GPT `.ckpt` or SoVITS `.pth` holds, read without torch.

Both are torch.save zips (the SoVITS ones written by `my_save2` have their
first two bytes replaced by a version tag, which the zip's central directory
at the end of the file survives). The pickle inside (`<archive>/data.pkl`)
is small: tensors live in other members. It is read with an unpickler that
never imports anything: every global becomes an inert `Stub`, so a hostile
file cannot run code here. From it we take:

- GPT: `config["model"]["phoneme_vocab_size"]`: 512 = v1 symbols, 732 = v2
  symbols (GPT_SoVITS/configs/s1longer.yaml, s1longer-v2.yaml); `info`.
- SoVITS: the shape of `weight["enc_p.text_embedding.weight"]`, which upstream
  uses to pick the symbol set (TTS.py `init_vits_weights`: no such key = a
  v3/v4 model with v2 symbols, 322 rows = v1, else v2); `lora_rank`
  (process_ckpt.py `savee` stores it for v3/v4 LoRA weights).
"""

from __future__ import annotations

import io
import pickle
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

MAX_PICKLE_BYTES = 64 * 1024 * 1024  # data.pkl of real weights is well under 1 MB
GPT_VOCAB_SYMBOLS = {512: "v1", 732: "v2"}
V1_TEXT_EMBEDDING_ROWS = 322


class CheckpointError(Exception):
    """The file is not a readable torch checkpoint; `reason` says why (English, for the message).

    `kind` tells what the user must do: "incomplete" (cut off: copy or download
    it again), "damaged" (whole, but its zip does not hold together), or
    "unreadable" (anything else, e.g. not a checkpoint at all).
    """

    def __init__(self, reason: str, kind: str = "unreadable"):
        super().__init__(reason)
        self.reason = reason
        self.kind = kind


class Stub:
    """Stands in for any class or function the pickle names; records what it was given.

    `find_class` hands out a fresh subclass per global (NEWOBJ needs a real
    type); calling it (REDUCE) or instantiating it (NEWOBJ) records the args,
    BUILD stores the state.
    """

    module = "?"
    name = "?"
    args: tuple = ()
    state = None

    def __new__(cls, *args, **kwargs):
        obj = super().__new__(cls)
        obj.args = args
        return obj

    def __init__(self, *args, **kwargs):
        pass

    def __setstate__(self, state):
        self.state = state

    def __setitem__(self, key, value):  # OrderedDict-like classes filled item by item
        if not isinstance(self.state, dict):
            self.state = {}
        self.state[key] = value

    def __repr__(self) -> str:
        return f"<{self.module}.{self.name}{self.args!r}>"


def _stub_class(module: str, name: str) -> type:
    return type("Stub_" + name, (Stub,), {"module": module, "name": name})


_SAFE_BUILTINS = {
    ("collections", "OrderedDict"): dict,
    ("builtins", "dict"): dict,
    ("builtins", "list"): list,
    ("builtins", "tuple"): tuple,
    ("builtins", "set"): set,
    ("builtins", "frozenset"): frozenset,
}


class _SafeUnpickler(pickle.Unpickler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storages: list[str] = []  # the tensor data members the pickle refers to

    def find_class(self, module: str, name: str):
        return _SAFE_BUILTINS.get((module, name)) or _stub_class(module, name)

    def persistent_load(self, pid):
        # torch: ('storage', <storage class>, key, location, numel)
        if isinstance(pid, tuple) and len(pid) >= 3 and pid[0] == "storage" and isinstance(pid[2], str):
            self.storages.append(pid[2])
        return _stub_class("torch", "storage")(*(pid if isinstance(pid, tuple) else (pid,)))


@dataclass(frozen=True)
class CheckpointMeta:
    keys: tuple[str, ...]  # top-level keys of the saved dict
    info: str | None = None
    gpt_vocab: int | None = None  # GPT: phoneme_vocab_size
    text_embedding_rows: int | None = None  # SoVITS: rows of enc_p.text_embedding.weight
    has_text_embedding: bool | None = None  # SoVITS: None = no "weight" dict at all
    lora_rank: int | None = None

    @property
    def gpt_symbols(self) -> str | None:
        """v1 or v2 for a GPT checkpoint whose vocabulary size is known."""
        return GPT_VOCAB_SYMBOLS.get(self.gpt_vocab) if self.gpt_vocab is not None else None

    @property
    def sovits_symbols(self) -> str | None:
        """v1 or v2 for a SoVITS weight, decided as upstream's loader decides it."""
        if self.has_text_embedding is None:
            return None
        if not self.has_text_embedding:
            return "v2"
        return "v1" if self.text_embedding_rows == V1_TEXT_EMBEDDING_ROWS else "v2"


EOCD = b"PK\x05\x06"  # end-of-central-directory record: the last thing a complete zip holds
LOCAL_HEADER = b"PK\x03\x04"
EOCD_SEARCH = 22 + 65535  # the record, after at most a maximal zip comment


def check_archive(path: Path | str) -> list[zipfile.ZipInfo]:
    """The zip torch.save wrote is whole; returns its members.

    A download, copy or unzip that stopped early leaves a file without the
    central directory that ends every zip (`incomplete`); a directory that
    names no `data.pkl`, or a member that is not where the directory says,
    is `damaged`. A SoVITS file's first two bytes are a version tag instead of
    `PK` (my_save2), so the first member's signature is only checked from byte 2.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            f.seek(max(0, size - EOCD_SEARCH))
            tail = f.read()
    except OSError as exc:
        raise CheckpointError(exc.strerror or str(exc)) from exc
    if EOCD not in tail:
        raise CheckpointError("no end-of-central-directory record", kind="incomplete")
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            directory_at = z.start_dir
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise CheckpointError(f"unreadable central directory ({exc})", kind="damaged") from exc
    except OSError as exc:
        raise CheckpointError(exc.strerror or str(exc)) from exc
    if not any(_is_data_pkl(i.filename) for i in infos):
        raise CheckpointError("no data.pkl member", kind="damaged")
    _check_members(path, infos, directory_at, size)
    return infos


def _check_members(path: Path, infos: list[zipfile.ZipInfo], directory_at: int, size: int) -> None:
    """Every member starts with its local header where the directory says, and ends before the directory."""
    try:
        with open(path, "rb") as f:
            for info in infos:
                f.seek(info.header_offset)
                local = f.read(30)
                tag_ok = info.header_offset == 0 and local[2:4] == LOCAL_HEADER[2:]
                if len(local) < 30 or not (local[:4] == LOCAL_HEADER or tag_ok):
                    raise CheckpointError(f"member {info.filename} is not at offset {info.header_offset}", kind="damaged")
                name_len, extra_len = struct.unpack("<HH", local[26:30])
                end = info.header_offset + 30 + name_len + extra_len + info.compress_size
                if end > min(directory_at, size):
                    raise CheckpointError(f"member {info.filename} runs past the zip directory", kind="damaged")
    except OSError as exc:
        raise CheckpointError(exc.strerror or str(exc)) from exc


def _is_data_pkl(name: str) -> bool:
    return name == "data.pkl" or name.endswith("/data.pkl")


def _pickle_bytes(path: Path) -> bytes:
    """The raw bytes of the `data.pkl` member, read at its offset.

    zipfile would refuse the first member of a `my_save2` file (its local
    header lost its `PK`), so the member is read by hand from the central
    directory's offsets; torch stores members uncompressed.
    """
    try:
        with zipfile.ZipFile(path) as z:
            infos = [i for i in z.infolist() if i.filename == "data.pkl" or i.filename.endswith("/data.pkl")]
    except zipfile.BadZipFile as exc:
        raise CheckpointError(f"not a complete zip archive ({exc})") from exc
    except OSError as exc:
        raise CheckpointError(exc.strerror or str(exc)) from exc
    if not infos:
        raise CheckpointError("no data.pkl inside")
    info = infos[0]
    if info.compress_type != zipfile.ZIP_STORED:
        raise CheckpointError("data.pkl is compressed (not written by torch.save)")
    if info.file_size > MAX_PICKLE_BYTES:
        raise CheckpointError("data.pkl is implausibly large")
    with open(path, "rb") as f:
        f.seek(info.header_offset)
        local = f.read(30)
        if len(local) < 30:
            raise CheckpointError("truncated file")
        name_len, extra_len = struct.unpack("<HH", local[26:30])
        f.seek(info.header_offset + 30 + name_len + extra_len)
        data = f.read(info.file_size)
    if len(data) != info.file_size:
        raise CheckpointError("truncated file")
    return data


def read_meta(path: Path | str) -> CheckpointMeta:
    """Read what the checkpoint says about itself; `CheckpointError` when it cannot be read."""
    path = Path(path)
    try:
        with open(path, "rb") as f:
            head = f.read(4)
    except OSError as exc:
        raise CheckpointError(exc.strerror or str(exc)) from exc
    if len(head) >= 2 and head[0] == 0x80 and 2 <= head[1] <= 5:
        # Before torch 1.6 a checkpoint was a series of pickles (magic number first);
        # reading it needs torch's framing, so only the magic is checked.
        return CheckpointMeta(keys=())
    if head[2:4] != b"\x03\x04":
        raise CheckpointError("not a torch checkpoint (no zip header)")
    members = {i.filename for i in check_archive(path)}
    raw = _pickle_bytes(path)
    unpickler = _SafeUnpickler(io.BytesIO(raw))
    try:
        obj = unpickler.load()
    except Exception as exc:  # any malformed pickle: the file is damaged
        raise CheckpointError(f"damaged pickle ({type(exc).__name__})", kind="damaged") from exc
    _check_storages(unpickler.storages, members)
    if not isinstance(obj, dict):
        raise CheckpointError("the checkpoint is not a dict")
    return _meta(obj)


def _check_storages(keys: list[str], members: set[str]) -> None:
    """Each tensor the pickle names has its data member (`<archive>/data/<key>`)."""
    prefix = next((m[: -len("data.pkl")] for m in members if _is_data_pkl(m)), "")
    for key in keys:
        if f"{prefix}data/{key}" not in members:
            raise CheckpointError(f"tensor data {prefix}data/{key} is missing", kind="damaged")


def _as_dict(value) -> dict | None:
    if isinstance(value, dict):
        return value
    if isinstance(value, Stub) and isinstance(value.state, dict):
        return value.state  # HParams and other objects pickled with their __dict__
    return None


def _meta(obj: dict) -> CheckpointMeta:
    keys = tuple(str(k) for k in obj)
    info = obj.get("info") if isinstance(obj.get("info"), str) else None
    config = _as_dict(obj.get("config"))
    gpt_vocab = None
    model = _as_dict(config.get("model")) if config else None
    if model and isinstance(model.get("phoneme_vocab_size"), int):
        gpt_vocab = model["phoneme_vocab_size"]
    weight = _as_dict(obj.get("weight"))
    has_emb = rows = None
    if weight is not None:
        emb = weight.get("enc_p.text_embedding.weight")
        has_emb = emb is not None
        rows = _tensor_rows(emb)
    rank = obj.get("lora_rank")
    return CheckpointMeta(
        keys=keys,
        info=info,
        gpt_vocab=gpt_vocab,
        text_embedding_rows=rows,
        has_text_embedding=has_emb,
        lora_rank=int(rank) if isinstance(rank, int) and not isinstance(rank, bool) else None,
    )


def _tensor_rows(tensor) -> int | None:
    # torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride, ...)
    if isinstance(tensor, Stub) and len(tensor.args) >= 3 and isinstance(tensor.args[2], tuple) and tensor.args[2]:
        first = tensor.args[2][0]
        return first if isinstance(first, int) else None
    return None
