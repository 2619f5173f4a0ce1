"""xiaozhi-server's folder and config files, read as xiaozhi reads them.

xiaozhi reads `config.yaml` (shipped defaults) and `data/.config.yaml` (the
user's overrides), merged recursively with the data file winning
(`config/config_loader.py`). A `manager-api` section in the data file hands
the configuration to the 智控台 instead. In a Docker deployment the folder has
only `data/` (mounted into the container): the shipped config is the image's
(`image`).
"""

from __future__ import annotations

import copy
import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Optional

from launcher import fsio
from launcher.errors import BadInput, LauncherError, MissingFile
from launcher.xiaozhi import yaml_edit as yml
from launcher.xiaozhi.deploy import Deployment, compose_files, data_folder_matches, find_service, source_parts_missing

DATA_CONFIG = Path("data") / ".config.yaml"

HEADER = (
    "# xiaozhi-server 的个人配置：这里的设置覆盖 config.yaml 里的同名项（其余仍用 config.yaml）。\n"
    "# 由 sovits-launch 创建，可以手动修改；sovits-launch 只改 selected_module.TTS 和它写入的 TTS 段。\n"
)
# xiaozhi crashes on an empty data/.config.yaml: a file we create or restore is never empty.
STUB = HEADER + "{}\n"


def find_xiaozhi_dir(path: Path) -> Path:
    """The xiaozhi-server folder: a source folder (`path` itself, or `main/xiaozhi-server` in a
    repository root), or a Docker deployment folder (docker-compose.yml + data/)."""
    path = Path(path).expanduser()
    if not path.exists():
        raise MissingFile("xiaozhi.dir_missing", path=str(path))
    if not path.is_dir():
        raise BadInput("xiaozhi.not_xiaozhi", path=str(path), missing="config.yaml")
    candidates = [path, path / "main" / "xiaozhi-server", path / "xiaozhi-server"]
    for folder in candidates:
        if source_parts_missing(folder) is None:
            return folder.resolve()
    for folder in (path, path / "xiaozhi-server"):
        service = find_service(folder)
        if service is not None:
            if not data_folder_matches(folder, service):
                raise BadInput("xiaozhi.docker.data_elsewhere", path=str(service.file), source=str(service.data_source))
            return folder.resolve()
    # Explain against the folder the user most likely meant.
    folder = next((c for c in candidates[1:] if c.is_dir()), path)
    if not (folder / "config.yaml").is_file() and compose_files(folder):
        raise BadInput("xiaozhi.docker_only", path=str(folder))
    missing = source_parts_missing(folder)
    if missing == "TTS:":
        raise BadInput("xiaozhi.no_tts_section", path=str(folder / "config.yaml"))
    raise BadInput("xiaozhi.not_xiaozhi", path=str(folder), missing=missing)


def deployment(xiaozhi_dir: Path) -> Deployment:
    """Source or Docker, for a folder `find_xiaozhi_dir` accepted."""
    folder = Path(xiaozhi_dir)
    kind = "source" if (folder / "config.yaml").is_file() else "docker"
    return Deployment(folder, kind, find_service(folder))


def data_config_path(xiaozhi_dir: Path) -> Path:
    return Path(xiaozhi_dir) / DATA_CONFIG


def merge_configs(default_config: Any, custom_config: Any) -> Any:
    """config_loader.merge_configs: recursive for mappings, the custom value wins otherwise."""
    if not isinstance(default_config, Mapping) or not isinstance(custom_config, Mapping):
        return custom_config
    merged = dict(default_config)
    for key, value in custom_config.items():
        if key in merged and isinstance(merged[key], Mapping) and isinstance(value, Mapping):
            merged[key] = merge_configs(merged[key], value)
        else:
            merged[key] = value
    return merged


def merged_config(xiaozhi_dir: Path) -> dict:
    """What xiaozhi runs with (local mode): config.yaml merged with data/.config.yaml."""
    xdir = Path(xiaozhi_dir)
    path = data_config_path(xdir)
    if not path.is_file():
        raise MissingFile("xiaozhi.data_config_missing", path=str(path))
    custom = parse_plain(path)
    return merge_configs(shipped_config(xdir), custom)


def shipped_config(xdir: Path, *, ask_docker: bool = True) -> dict:
    """The shipped config.yaml (1,000+ lines: parsed once per version of the file).

    A Docker deployment has none in its folder: the image's is used (`image`).
    """
    path = Path(xdir) / "config.yaml"
    if not path.is_file() and find_service(Path(xdir)) is not None:
        from launcher.xiaozhi.image import image_config

        return image_config(deployment(xdir), ask_docker=ask_docker).config
    try:
        st = path.stat()
    except OSError:
        st = None
    key = (str(path), st.st_mtime_ns, st.st_size) if st else None
    if key is None or key not in _SHIPPED_CACHE:
        data = yml.pyyaml_load(fsio.read_text(path), path)
        data = data if isinstance(data, dict) else {}
        if key is None:
            return data
        _SHIPPED_CACHE.clear()
        _SHIPPED_CACHE[key] = data
    return copy.deepcopy(_SHIPPED_CACHE[key])


_SHIPPED_CACHE: dict = {}


def provider_exists(xdir: Path, kind: str) -> bool:
    """xiaozhi has core/providers/tts/<kind>.py (in the folder, or in the Docker image)."""
    if (Path(xdir) / "core" / "providers" / "tts" / f"{kind}.py").is_file():
        return True
    if (Path(xdir) / "config.yaml").is_file() or find_service(Path(xdir)) is None:
        return False
    from launcher.xiaozhi.image import image_config

    return kind in image_config(deployment(xdir)).tts_types


def parse_plain(path: Path) -> dict:
    data = yml.pyyaml_load(fsio.read_text(path), path)
    if data is None:  # an empty file: xiaozhi itself would crash, we read it as {}
        return {}
    if not isinstance(data, dict):
        raise BadInput("xiaozhi.config_not_mapping", path=str(path))
    return data


def manager_url(custom: Any) -> Optional[str]:
    """The 智控台 address when data/.config.yaml hands the configuration to manager-api."""
    section = custom.get("manager-api") if isinstance(custom, dict) else None
    url = section.get("url") if isinstance(section, dict) else None
    return str(url) if url else None


def mapping(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def read_config(path: Path) -> tuple:
    """(text, bytes) of the file, or (None, None) when it does not exist."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        raise LauncherError("fs.read_failed", path=str(path), reason=exc.strerror or str(exc)) from exc
    try:
        return data.decode("utf-8"), data
    except UnicodeDecodeError as exc:
        raise BadInput("fs.not_utf8", path=str(path), line=data[: exc.start].count(b"\n") + 1) from exc


def check_writable(path: Path) -> None:
    """A read-only file or folder is the user's decision: refuse before backing up.

    Checked by the permission bits, not `os.access`, which says yes to root.
    """
    if path.exists() and not (path.stat().st_mode & stat.S_IWUSR):
        raise BadInput("xiaozhi.read_only", path=str(path))
    folder = path.parent
    if folder.exists() and os.name != "nt" and not (folder.stat().st_mode & stat.S_IWUSR):
        raise BadInput("xiaozhi.read_only", path=str(folder))
