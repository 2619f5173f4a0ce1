"""Character profiles: one UTF-8 YAML file per character.

Loading validates everything and raises keyed errors that name the file, the
field and the fix. Paths stay as written; `Profile.resolve` makes them absolute
against the GPT-SoVITS root (upstream resolves relative paths from its cwd,
which is the root).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from launcher.errors import BadInput, LauncherError, MissingFile

API_VERSIONS = ("v1", "v2")
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 9880
# What Windows refuses in a file name: these characters, control characters, and device names.
WINDOWS_BAD_CHARS = '\\/:*?"<>|'
WINDOWS_DEVICE_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {f"COM{i}" for i in range(1, 10)} | {f"LPT{i}" for i in range(1, 10)}
)
NAME_PATTERN = re.compile("^[^" + re.escape(WINDOWS_BAD_CHARS) + r"\x00-\x1f]+$")  # anything a Windows file name allows

# Inference parameters and their types; names are upstream's (api_v2 /tts and api.py /).
PARAM_TYPES: dict[str, tuple[type, ...]] = {
    "top_k": (int,),
    "top_p": (int, float),
    "temperature": (int, float),
    "speed": (int, float),  # api.py `speed`, api_v2 `speed_factor`
    "text_split_method": (str,),  # api_v2: cut0..cut5
    "cut_punc": (str,),  # api.py
    "batch_size": (int,),
    "batch_threshold": (int, float),
    "split_bucket": (bool,),
    "parallel_infer": (bool,),
    "repetition_penalty": (int, float),
    "seed": (int,),
    "sample_steps": (int,),
    "if_sr": (bool,),
    "super_sampling": (bool,),  # api_v2 (20250422v4+); api.py calls it if_sr
    "streaming_mode": (bool, int),
    "fragment_interval": (int, float),
}

# key -> (types, required)
FIELDS: dict[str, tuple[tuple[type, ...], bool]] = {
    "name": ((str,), False),  # defaults to the file name
    "display_name": ((str,), False),
    "api": ((str,), False),
    "root": ((str,), False),  # optional: this profile's own GPT-SoVITS root
    "gpt": ((str,), True),
    "sovits": ((str,), True),
    "ref_audio": ((str,), False),
    "prompt_text": ((str,), False),
    "prompt_lang": ((str,), False),
    "text_lang": ((str,), False),
    "host": ((str,), False),
    "port": ((int,), False),
    "device": ((str,), False),
    "half": ((bool,), False),
    "restart_on_crash": ((bool,), False),  # start it again when it crashes (.bat files, autostart)
    "params": ((dict,), False),
    "emotions": ((dict,), False),
}
# Optional fields whose absence means a default, so an empty `key:` line is a mistake
# (for the others, e.g. `device:` or `half:`, empty means "not set").
NO_EMPTY = frozenset({"name", "api", "host", "port", "prompt_lang", "text_lang"})
EMOTION_FIELDS: dict[str, tuple[tuple[type, ...], bool]] = {
    "ref_audio": ((str,), True),
    "prompt_text": ((str,), False),
    "prompt_lang": ((str,), False),
}


@dataclass
class Emotion:
    ref_audio: str
    prompt_text: str = ""
    prompt_lang: str | None = None


@dataclass
class Profile:
    name: str
    gpt: str
    sovits: str
    path: Path | None = None  # the YAML file it came from
    display_name: str | None = None
    api: str = "v2"
    root: str | None = None
    ref_audio: str | None = None
    prompt_text: str = ""
    prompt_lang: str = "zh"
    text_lang: str = "zh"
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    device: str | None = None
    half: bool | None = None
    restart_on_crash: bool = False
    params: dict[str, Any] = field(default_factory=dict)
    emotions: dict[str, Emotion] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.display_name or self.name

    @property
    def needs_reference(self) -> bool:
        return not self.ref_audio

    def resolve(self, value: str, root: Path) -> Path:
        """A profile path made absolute against the GPT-SoVITS root."""
        p = Path(value.replace("\\", "/")) if not _is_windows_abs(value) else Path(value)
        return p if p.is_absolute() or _is_windows_abs(value) else (Path(root) / p)

    def to_dict(self) -> dict[str, Any]:
        """The YAML form, in the documented key order, without empty optionals."""
        out: dict[str, Any] = {"name": self.name}
        if self.display_name:
            out["display_name"] = self.display_name
        out["api"] = self.api
        if self.root:
            out["root"] = self.root
        out["gpt"] = self.gpt
        out["sovits"] = self.sovits
        if self.ref_audio:
            out["ref_audio"] = self.ref_audio
        out["prompt_text"] = self.prompt_text
        out["prompt_lang"] = self.prompt_lang
        out["text_lang"] = self.text_lang
        out["host"] = self.host
        out["port"] = self.port
        if self.device:
            out["device"] = self.device
        if self.half is not None:
            out["half"] = self.half
        if self.restart_on_crash:
            out["restart_on_crash"] = True
        if self.params:
            out["params"] = dict(self.params)
        if self.emotions:
            out["emotions"] = {
                k: {kk: vv for kk, vv in vars(e).items() if vv not in (None, "")} for k, e in self.emotions.items()
            }
        return out


def _is_windows_abs(value: str) -> bool:
    return bool(re.match(r"^[A-Za-z]:[\\/]", value)) or value.startswith("\\\\")


# --- parsing -------------------------------------------------------------------


def parse_profile(text: str, path: Path) -> Profile:
    """Validate YAML text into a Profile; every problem is a keyed BadInput."""
    from launcher.fsio import yaml_load

    where = str(path)
    data = yaml_load(text, path, "profile.yaml_error", unique_keys=True)
    if not isinstance(data, dict):
        raise BadInput("profile.not_mapping", path=where)
    _check_fields(data, FIELDS, where, prefix="")
    for key in ("gpt", "sovits", "ref_audio", "host"):
        if key in data and not str(data[key]).strip():
            raise BadInput("profile.empty_field", path=where, field=key)
    name = _name(data.get("name"), Path(path), where)
    api = str(data.get("api", "v2")).lower()
    if api not in API_VERSIONS:
        raise BadInput("profile.bad_choice", path=where, field="api", value=data.get("api"), choices="v1, v2")
    port = data.get("port", DEFAULT_PORT)
    if not 1 <= port <= 65535:
        raise BadInput("profile.bad_port", path=where, value=port)
    params = data.get("params") or {}
    _check_params(params, where)
    emotions = {}
    for emo_name, emo in (data.get("emotions") or {}).items():
        if not isinstance(emo, dict):
            raise BadInput(
                "profile.wrong_type", path=where, field=f"emotions.{emo_name}", expected="mapping", got=_type_name(emo)
            )
        _check_fields(emo, EMOTION_FIELDS, where, prefix=f"emotions.{emo_name}.")
        emotions[str(emo_name)] = Emotion(
            ref_audio=emo["ref_audio"],
            prompt_text=emo.get("prompt_text", "") or "",
            prompt_lang=_lang(emo["prompt_lang"], where, f"emotions.{emo_name}.prompt_lang")
            if emo.get("prompt_lang")
            else None,
        )
    return Profile(
        name=name,
        path=Path(path),
        display_name=data.get("display_name"),
        api=api,
        root=data.get("root"),
        gpt=data["gpt"],
        sovits=data["sovits"],
        ref_audio=data.get("ref_audio"),
        prompt_text=data.get("prompt_text") or "",
        prompt_lang=_lang(data.get("prompt_lang", "zh"), where, "prompt_lang"),
        text_lang=_lang(data.get("text_lang", "zh"), where, "text_lang"),
        host=data.get("host", DEFAULT_HOST),
        port=port,
        device=data.get("device"),
        half=data.get("half"),
        restart_on_crash=bool(data.get("restart_on_crash", False)),
        params=dict(params),
        emotions=emotions,
    )


def _name(value: str | None, path: Path, where: str) -> str:
    """The profile's id: its file name. A `name:` line may only repeat it: with two names,
    `start x` and `stop x` (and the registry, the log, the .bat) could mean different files."""
    stem = path.stem
    name = value or stem
    if not NAME_PATTERN.match(name) or name.strip() != name or name in (".", ".."):
        raise BadInput("profile.bad_name", path=where, name=name)
    if name != stem:
        raise BadInput("profile.name_mismatch", path=where, name=name, stem=stem)
    return name


def _check_fields(data: dict, spec: dict, where: str, prefix: str) -> None:
    for key in data:
        if key not in spec:
            raise BadInput(
                "profile.unknown_key", path=where, field=f"{prefix}{key}", suggestion=_suggest(str(key), spec)
            )
    for key, (types, required) in spec.items():
        if key in data and data[key] is None and (required or (not prefix and key in NO_EMPTY)):
            # `port:` with nothing after it: the line is there, its value is not.
            raise BadInput("profile.empty_field", path=where, field=f"{prefix}{key}")
        if key not in data or data[key] is None:
            if required:
                raise BadInput("profile.missing_field", path=where, field=f"{prefix}{key}")
            continue
        value = data[key]
        _check_type(value, types, where, f"{prefix}{key}")
        _check_nul(value, where, f"{prefix}{key}")


def _check_type(value: Any, types: tuple[type, ...], where: str, field_name: str) -> None:
    # bool is an int in Python: a port of `true` is not a port.
    if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
        raise BadInput(
            "profile.wrong_type",
            path=where,
            field=field_name,
            expected=" / ".join(_type_name(t) for t in types),
            got=_type_name(value),
        )


def _check_nul(value: Any, where: str, field_name: str) -> None:
    """A NUL can be written in YAML ("\\0") but carried by no command line or file name."""
    if isinstance(value, str) and "\x00" in value:
        raise BadInput("profile.nul_char", path=where, field=field_name)
    if isinstance(value, dict):
        for k, v in value.items():
            _check_nul(v, where, f"{field_name}.{k}")


def _check_params(params: dict, where: str) -> None:
    for key, value in params.items():
        if key not in PARAM_TYPES:
            raise BadInput(
                "profile.unknown_key", path=where, field=f"params.{key}", suggestion=_suggest(str(key), PARAM_TYPES)
            )
        _check_type(value, PARAM_TYPES[key], where, f"params.{key}")


def _lang(value: Any, where: str, field_name: str) -> str:
    from launcher.gsv import languages

    if not isinstance(value, str):
        raise BadInput("profile.wrong_type", path=where, field=field_name, expected="text", got=_type_name(value))
    try:
        return languages.normalize(value)
    except BadInput as exc:
        raise BadInput(
            "profile.bad_choice", path=where, field=field_name, value=value, choices=exc.params.get("choices", "")
        ) from exc


def _suggest(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else ""


def _type_name(value: Any) -> str:
    t = value if isinstance(value, type) else type(value)
    return {
        str: "text",
        int: "integer",
        float: "number",
        bool: "true/false",
        dict: "mapping",
        list: "list",
        type(None): "empty",
    }.get(t, t.__name__)


# --- files -------------------------------------------------------------------


MAX_PROFILE_BYTES = 1024 * 1024  # a real profile is a few hundred bytes


def load_profile(path: Path) -> Profile:
    from launcher.fsio import read_text

    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError:
        size = 0  # read_text says what is wrong with it
    if size > MAX_PROFILE_BYTES:
        raise BadInput("profile.too_large", path=str(path), size=f"{size / 1024 / 1024:.1f} MB")
    return parse_profile(read_text(path), path)


def profile_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in (".yaml", ".yml") and p.is_file())


def find_profile(name_or_path: str, folder: Path) -> Profile:
    """A profile by id, by display name (a `.bat` named 纳西妲.bat passes that), or by file path."""
    candidate = Path(name_or_path)
    if candidate.suffix.lower() in (".yaml", ".yml"):
        if not candidate.is_file():
            raise MissingFile("profile.file_missing", path=str(candidate))
        return load_profile(_as_on_disk(candidate))
    direct = _file_named(folder, name_or_path)
    if direct is not None:
        return load_profile(direct)
    known: list[tuple[str, str | None]] = []  # (id, display name) of every profile there
    for path in profile_files(folder):
        try:
            profile = load_profile(path)
        except LauncherError:
            known.append((path.stem, None))
            continue
        if profile.name == name_or_path or profile.display_name == name_or_path:
            return profile
        known.append((profile.name, profile.display_name))
    raise _not_found(name_or_path, folder, known)


def _not_found(name: str, folder: Path, known: list[tuple[str, str | None]]) -> BadInput:
    """"Did you mean": the closest id or display name, given as the id to type; the hint
    lists every profile as `纳西妲 (nahida)`."""
    if not known:
        return BadInput("profile.none_yet", name=name, folder=str(folder))
    ids = {}
    for profile_id, display in known:
        ids.setdefault(profile_id, profile_id)
        if display:
            ids.setdefault(display, profile_id)
    close = difflib.get_close_matches(name, list(ids), n=1, cutoff=0.6)
    listing = ", ".join(
        f"{display} ({profile_id})" if display and display != profile_id else profile_id
        for profile_id, display in sorted(set(known))
    )
    key = "profile.not_found" if close else "profile.not_found_plain"
    return BadInput(key, name=name, folder=str(folder), suggestion=ids[close[0]] if close else "", known=listing)


def _file_named(folder: Path, name: str) -> Path | None:
    """`<folder>/<name>.yaml` as it is spelled on disk. Windows finds `Nahida.yaml` for
    `nahida` too; the profile's id is the file's own name, whatever the user typed."""
    files = profile_files(folder)
    exact = [p for p in files if p.stem == name]
    if exact:
        return exact[0]
    folded = [p for p in files if p.stem.casefold() == name.casefold()]
    return folded[0] if len(folded) == 1 else None


def _as_on_disk(path: Path) -> Path:
    """The path with its file name spelled as on disk (a case-insensitive disk opens `NAHIDA.yaml` as `nahida.yaml`)."""
    try:
        for entry in path.parent.iterdir():
            if entry.name == path.name:
                return path
        for entry in path.parent.iterdir():
            if entry.name.casefold() == path.name.casefold():
                return entry
    except OSError:
        pass
    return path


def render_profile(profile: Profile, header: str | None = None) -> str:
    import yaml

    text = yaml.safe_dump(profile.to_dict(), allow_unicode=True, sort_keys=False, width=1000)
    return (header or "") + text


def save_profile(profile: Profile, folder: Path, *, overwrite: bool = False, header: str | None = None) -> Path:
    """Write `<folder>/<name>.yaml` atomically; an existing file is refused, or backed up first."""
    from launcher.fsio import backup, write_atomic

    target = folder / f"{profile.name}.yaml"
    if target.exists():
        if not overwrite:
            raise BadInput("profile.exists", path=str(target), name=profile.name)
        backup(target)
    text = render_profile(profile, header)
    parse_profile(text, target)  # never write what we could not read back
    write_atomic(target, text)
    return target
