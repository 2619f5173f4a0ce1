"""The shipped config.yaml of a Docker deployment, which lives in the image, not in the folder.

When Docker answers and xiaozhi's container runs, the launcher reads the
image's own `config.yaml` and lists its TTS provider files (`docker exec ...`).
Otherwise it uses what it carries: `image_defaults.yaml`, the values xiaozhi's
image ships for the keys the launcher verifies. Either way the merge rules are
xiaozhi's (`files.merge_configs`).
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass
from typing import Optional

from launcher.errors import LauncherError
from launcher.xiaozhi.deploy import IMAGE_DIR, Deployment

DEFAULTS_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "image_defaults.yaml")


@dataclass
class ImageConfig:
    config: dict  # the shipped config.yaml (or the carried part of it)
    tts_types: frozenset  # core/providers/tts/<type>.py files in the image
    source: str  # "container" | "carried"
    container: Optional[str] = None  # the container read from
    commit: Optional[str] = None  # xiaozhi's commit the carried values come from
    why: Optional[LauncherError] = None  # why the container was not read


_CACHE: dict = {}


def carried() -> ImageConfig:
    import yaml

    with open(DEFAULTS_FILE, encoding="utf-8") as f:
        data = yaml.safe_load(f)
    return ImageConfig(
        config=data["config"], tts_types=frozenset(data["tts_types"]), source="carried", commit=str(data["commit"])
    )


def image_config(dep: Deployment, *, ask_docker: bool = True) -> ImageConfig:
    """The image's config for this deployment (read once per process and folder)."""
    key = (str(dep.folder), ask_docker)
    if key not in _CACHE:
        _CACHE[key] = _read(dep) if ask_docker else carried()
    return copy.deepcopy(_CACHE[key])


def forget() -> None:
    """Read the container again next time (after a restart, in tests)."""
    _CACHE.clear()


def _read(dep: Deployment) -> ImageConfig:
    import yaml

    from launcher.xiaozhi import docker

    fallback = carried()
    if docker.docker_command() is None:
        return fallback
    try:
        container = docker.find_container(dep)
        if container is None or not container.running:
            return fallback
        text = docker.read_file(container.name, IMAGE_DIR + "/config.yaml")
        listing = docker.exec_in(container.name, "ls", IMAGE_DIR + "/core/providers/tts")
    except LauncherError as exc:
        fallback.why = exc
        return fallback
    try:
        config = yaml.safe_load(text) if text else None
    except yaml.YAMLError:
        config = None
    if not isinstance(config, dict) or listing.returncode != 0:
        return fallback
    types = frozenset(name[:-3] for name in listing.stdout.split() if name.endswith(".py"))
    return ImageConfig(config=config, tts_types=types, source="container", container=container.name)
