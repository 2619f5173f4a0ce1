"""Point xiaozhi-esp32-server's TTS at a GPT-SoVITS server: the edit of data/.config.yaml.

The launcher writes only the data file, and in it only `selected_module.TTS`
and the keys it manages in one `TTS.<module>` block (`block`). The flow is
`plan` (nothing written; a diff to show) then `apply` (backup beside the file,
atomic write, re-read with xiaozhi's own merge, verify). Backups are
`data/.config.yaml.sovits-launch-<stamp>`, beside the file, so they travel
with the xiaozhi folder (Docker mounts only `data/`) and a user finds them
without the launcher; `undo` restores the newest one.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from launcher import fsio
from launcher.errors import BadInput, LauncherError
from launcher.xiaozhi import yaml_edit as yml
from launcher.xiaozhi.block import MANAGER_LABELS, V1, TtsTarget, block_for, ignored_params, without_v1, yaml_value
from launcher.xiaozhi.files import (
    DATA_CONFIG,
    HEADER,
    STUB,
    check_writable,
    data_config_path,
    find_xiaozhi_dir,
    manager_url,
    mapping,
    merge_configs,
    parse_plain,
    provider_exists,
    read_config,
    shipped_config,
)
from launcher.xiaozhi.provider import Request, provider_request

BACKUP_TAG = "sovits-launch"  # data/.config.yaml.sovits-launch-YYYYmmdd-HHMMSS
UNDO_TAG = "before-undo"  # what `undo` replaced, so an undo can be undone by hand


@dataclass
class Plan:
    xiaozhi_dir: Path
    path: Path  # data/.config.yaml
    module: str
    block: dict  # the values written (or to enter in the 智控台)
    old_text: Optional[str]  # None: the file does not exist yet
    new_text: str
    diff: list  # unified diff lines, no trailing newlines
    changed: bool
    previous_module: Optional[str] = None  # effective selected_module.TTS before
    manager_mode: bool = False
    manager_url: Optional[str] = None
    manager_fields: list = field(default_factory=list)  # [(key, 智控台 label, value)]
    ignored_params: list = field(default_factory=list)
    old_bytes: Optional[bytes] = None


@dataclass
class Applied:
    path: Path
    backup: Optional[Path]
    changed: bool


@dataclass
class Undone:
    path: Path
    restored_from: Path
    saved_current: Optional[Path]  # the replaced content, as a `before-undo` backup


def plan(xiaozhi_dir: Path, target: TtsTarget) -> Plan:
    """Compute the edit of data/.config.yaml for `target` without writing anything."""
    xdir = find_xiaozhi_dir(xiaozhi_dir)
    path = data_config_path(xdir)
    raw, old_bytes = read_config(path)
    loaded = yml.load(raw or "", path)
    custom = loaded.plain if loaded.plain is not None else {}
    if not isinstance(custom, dict):
        raise BadInput("xiaozhi.config_not_mapping", path=str(path))
    shipped = shipped_config(xdir)
    previous = mapping(merge_configs(shipped, custom).get("selected_module")).get("TTS")
    ignored = ignored_params(target)

    url = manager_url(custom)
    if url:
        module, block = block_for(without_v1(target), xdir)
        fields = [(k, MANAGER_LABELS.get(k, k), v) for k, v in block.items() if k != "type"]
        return Plan(xdir, path, module, block, raw, raw or "", [], False, previous,
                    manager_mode=True, manager_url=url, manager_fields=fields,
                    ignored_params=ignored, old_bytes=old_bytes)

    module, block = block_for(target, xdir)
    values = dict(block)
    # `ref_audio` / `ref_text` (set by the 智控台's voices, or by hand) win over the
    # reference keys in both built-in providers: when one is in effect, set it too.
    effective_before = merge_configs(
        mapping((shipped.get("TTS") or {}).get(module)), mapping((mapping(custom.get("TTS"))).get(module))
    )
    if module != V1:
        if effective_before.get("ref_audio"):
            values["ref_audio"] = target.ref_audio
        if effective_before.get("ref_text"):
            values["ref_text"] = target.prompt_text
    changes = [(("selected_module", "TTS"), module)]
    changes += [(("TTS", module, k), yaml_value(v)) for k, v in values.items()]
    new_text = yml.set_values(loaded, changes, empty_header=HEADER)
    changed = raw is None or new_text != raw

    if changed:
        new_plain = yml.pyyaml_load(new_text, path) or {}
        problems = _outside_changes(custom, new_plain, module, values)
        problems += _effective_problems(xdir, merge_configs(shipped, new_plain), module, values, target)
        if problems:
            raise LauncherError("xiaozhi.verify_failed", path=str(path), details=problems)
    diff = _diff(raw, new_text) if changed else []
    return Plan(xdir, path, module, block, raw, new_text, diff, changed, previous,
                ignored_params=ignored, old_bytes=old_bytes)


def apply(plan: Plan) -> Applied:
    """Back up, write atomically, re-read with xiaozhi's merge and verify. No change: no backup."""
    if plan.manager_mode:
        raise BadInput("xiaozhi.manager_mode", path=str(plan.path), url=plan.manager_url, module=plan.module)
    if not plan.changed:
        return Applied(plan.path, None, False)
    path = plan.path
    check_writable(path)
    current = path.read_bytes() if path.exists() else None
    if current != plan.old_bytes:
        raise BadInput("xiaozhi.changed_meanwhile", path=str(path))
    saved = None
    try:
        if current is None:
            # Nothing to back up: record the minimal file, so `undo` leaves a valid one.
            fsio.write_atomic(path, STUB)
        saved = fsio.backup(path, tag=BACKUP_TAG)
        fsio.write_atomic(path, plan.new_text)
    except BaseException:
        # The write failed (full disk, Ctrl+C): leave the folder exactly as it was.
        for leftover in ([path] if current is None else []) + ([saved] if saved else []):
            fsio.discard(leftover)
        raise
    try:
        custom = parse_plain(path)
        target_values = mapping((mapping(custom.get("TTS"))).get(plan.module))
        values = {k: target_values.get(k) for k in plan.block}
        problems = [f"{k}: {values[k]!r} != {v!r}" for k, v in plan.block.items() if not yml.deep_equal(values[k], v)]
        merged = merge_configs(shipped_config(plan.xiaozhi_dir), custom)
        problems += _effective_problems(plan.xiaozhi_dir, merged, plan.module, plan.block, None)
    except LauncherError as exc:
        problems = [f"{exc.key} {exc.params}"]
    if problems:
        fsio.write_atomic(path, plan.old_bytes if plan.old_bytes is not None else STUB.encode("utf-8"))
        if saved is not None:
            saved.unlink()  # the file is back as it was: this backup would only mislead `undo`
        raise LauncherError("xiaozhi.verify_failed", path=str(path), details=problems)
    return Applied(path, saved, True)


def list_backups(xiaozhi_dir: Path) -> list:
    """The launcher's backups of data/.config.yaml, oldest first."""
    return fsio.list_backups(data_config_path(xiaozhi_dir), tag=BACKUP_TAG)


def undo(xiaozhi_dir: Path) -> Undone:
    """Restore the newest backup, and consume it, so a second undo goes one step further back.

    The content it replaces is kept as `.config.yaml.before-undo-<stamp>`. An
    empty backup (the user's file was empty) is restored as the minimal `{}`
    file: xiaozhi crashes on an empty one.
    """
    xdir = find_xiaozhi_dir(xiaozhi_dir)
    path = data_config_path(xdir)
    backups = list_backups(xdir)
    if not backups:
        raise BadInput("xiaozhi.no_backup", path=str(path))
    newest = backups[-1]
    data = newest.read_bytes()
    if not data.strip():
        data = STUB.encode("utf-8")
    check_writable(path)
    saved = fsio.backup(path, tag=UNDO_TAG) if path.exists() else None
    fsio.write_atomic(path, data)
    try:
        newest.unlink()
    except OSError as exc:
        raise LauncherError("fs.write_failed", path=str(newest), reason=exc.strerror or str(exc)) from exc
    return Undone(path, newest, saved)


def say_request(target: TtsTarget, text: str, xiaozhi_dir: Optional[Path] = None) -> Request:
    """The request xiaozhi would send for `text` once `target` is configured.

    With the xiaozhi folder, the block is laid over the shipped defaults for it,
    exactly as xiaozhi merges them; without it, the provider's own defaults apply
    (the shipped ones equal them for both blocks).
    """
    module, block = block_for(target, xiaozhi_dir)
    if xiaozhi_dir is not None:
        xdir = find_xiaozhi_dir(xiaozhi_dir)
        block = merge_configs(mapping((shipped_config(xdir).get("TTS") or {}).get(module)), block)
    return provider_request(block, text, module=module)


def _outside_changes(old: dict, new: dict, module: str, keys: dict) -> list:
    """Everything but selected_module.TTS and our keys of TTS.<module> must mean the same."""
    before, after = _rest(old, module, keys), _rest(new, module, keys)
    names = ("top level", "selected_module", "TTS", f"TTS.{module}")
    return [f"{name} changed" for name, a, b in zip(names, before, after) if not yml.deep_equal(a, b)]


def _rest(data: Any, module: str, keys: dict) -> tuple:
    data = dict(data) if isinstance(data, dict) else {}
    selected, tts = data.pop("selected_module", None), data.pop("TTS", None)
    if isinstance(selected, dict):
        selected = {k: v for k, v in selected.items() if k != "TTS"} or None
    block = None
    if isinstance(tts, dict):
        tts = dict(tts)
        block = tts.pop(module, None)
        tts = tts or None
    if isinstance(block, dict):
        block = {k: v for k, v in block.items() if k not in keys} or None
    return data, selected, tts, block


def _effective_problems(
    xdir: Path, merged: dict, module: str, values: dict, target: Optional[TtsTarget]
) -> list:
    selected = (mapping(merged.get("selected_module"))).get("TTS")
    if selected != module:
        return [f"selected_module.TTS is {selected!r}, not {module!r}"]
    effective = (mapping(merged.get("TTS"))).get(module)
    if not isinstance(effective, dict):
        return [f"TTS.{module} is not a mapping"]
    problems = [
        f"TTS.{module}.{k} is {effective.get(k)!r}" for k, v in values.items() if not yml.deep_equal(effective.get(k), v)
    ]
    kind = effective.get("type") or module
    if not provider_exists(xdir, str(kind)):
        raise BadInput("xiaozhi.type_missing", type=str(kind), module=module)
    request = provider_request(effective, "你好", module=module)  # raises when xiaozhi could not read it
    if target is not None:
        sent = request.json if request.json is not None else dict(request.params or [])
        ref = sent.get("ref_audio_path", sent.get("refer_wav_path"))
        if ref != target.ref_audio or sent.get("prompt_text") != target.prompt_text:
            problems.append(f"the request would use reference {ref!r} / {sent.get('prompt_text')!r}")
    return problems


def _diff(old: Optional[str], new: str) -> list:
    name = DATA_CONFIG.as_posix()
    old_lines = (old or "").replace("\r\n", "\n").splitlines()
    new_lines = new.replace("\r\n", "\n").splitlines()
    return list(
        difflib.unified_diff(
            old_lines, new_lines, fromfile="/dev/null" if old is None else f"a/{name}",
            tofile=f"b/{name}", n=1, lineterm="",
        )
    )
