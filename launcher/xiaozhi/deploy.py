"""How xiaozhi-server is deployed in a folder: a source checkout, or Docker (方式一 / 全模块).

A source folder holds `config.yaml`, `core/providers/tts/` and `app.py`
(xiaozhi's `main/xiaozhi-server`). A Docker folder (xiaozhi's docs/Deployment.md,
方式一) holds only `docker-compose.yml`, `data/.config.yaml` and `models/`: the
code and the shipped `config.yaml` live in the image, under
/opt/xiaozhi-esp32-server, and `./data` is mounted over its `data/`. The server
service is the one mounting that folder (`docker-compose.yml` and
`docker-compose_all.yml` both name it `xiaozhi-esp32-server`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Optional

IMAGE_DIR = "/opt/xiaozhi-esp32-server"  # WORKDIR of xiaozhi's Dockerfile-server
IMAGE_DATA = IMAGE_DIR + "/data"
SERVICE = "xiaozhi-esp32-server"  # service and container_name in xiaozhi's compose files
COMPOSE_NAMES = ("docker-compose.yml", "docker-compose.yaml", "compose.yml", "compose.yaml", "docker-compose_all.yml")
WS_PORT = 8000  # server.port in the image: the websocket port, which also answers a plain GET


@dataclass
class ComposeService:
    file: Path
    name: str
    container_name: Optional[str]  # None: compose names it <project>-<service>-1
    data_source: Optional[str]  # the host side of the data/ mount, as written
    ws_port: int = WS_PORT  # the host port published for the container's 8000
    host_gateway: bool = False  # extra_hosts maps host.docker.internal to host-gateway
    image: str = ""


@dataclass
class Deployment:
    folder: Path
    kind: str  # "source" | "docker"
    compose: Optional[ComposeService] = None

    @property
    def container(self) -> str:
        """The container name to try first (compose's container_name, else the service name)."""
        if self.compose and self.compose.container_name:
            return self.compose.container_name
        return SERVICE


def source_parts_missing(folder: Path) -> Optional[str]:
    """None when `folder` is a source xiaozhi-server folder, else the first missing part."""
    config = folder / "config.yaml"
    if not config.is_file():
        return "config.yaml"
    if not (folder / "core" / "providers" / "tts").is_dir():
        return "core/providers/tts/"
    try:
        text = config.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return "config.yaml"
    return None if re.search(r"^TTS:", text, re.MULTILINE) else "TTS:"


def compose_files(folder: Path) -> list:
    return [folder / name for name in COMPOSE_NAMES if (folder / name).is_file()]


def find_service(folder: Path) -> Optional[ComposeService]:
    """xiaozhi's server service in the folder's compose files (the first that has one)."""
    for path in compose_files(folder):
        service = service_in(path)
        if service is not None:
            return service
    return None


def service_in(path: Path) -> Optional[ComposeService]:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    services = data.get("services") if isinstance(data, dict) else None
    if not isinstance(services, dict):
        return None
    chosen = None
    for name, spec in services.items():
        if isinstance(spec, dict) and data_mount(spec) is not None:
            chosen = (str(name), spec)
            break
    if chosen is None and isinstance(services.get(SERVICE), dict):
        chosen = (SERVICE, services[SERVICE])
    if chosen is None:
        return None
    name, spec = chosen
    container = spec.get("container_name")
    return ComposeService(
        file=path,
        name=name,
        container_name=str(container) if container else None,
        data_source=data_mount(spec),
        ws_port=published_port(spec, WS_PORT) or WS_PORT,
        host_gateway=has_host_gateway(spec),
        image=str(spec.get("image") or ""),
    )


def data_mount(spec: dict) -> Optional[str]:
    """The host side of the volume mounted on the image's data/ folder."""
    for volume in spec.get("volumes") or []:
        if isinstance(volume, dict):
            source, target = volume.get("source"), volume.get("target")
        elif isinstance(volume, str):
            source, target = split_volume(volume)
        else:
            continue
        if target and PurePosixPath(str(target)) == PurePosixPath(IMAGE_DATA) and source:
            return str(source)
    return None


_VOLUME = re.compile(r"^(?P<source>.+?):(?P<target>/[^:]*)(?::[a-zA-Z,]+)?$")


def split_volume(text: str) -> tuple:
    """`SOURCE:TARGET[:MODE]`, where SOURCE may be a Windows path with its drive letter."""
    match = _VOLUME.match(text.strip())
    return (match.group("source"), match.group("target")) if match else (None, None)


def published_port(spec: dict, container_port: int) -> Optional[int]:
    for entry in spec.get("ports") or []:
        if isinstance(entry, dict):
            if _int(entry.get("target")) == container_port:
                return _int(entry.get("published"))
            continue
        text = str(entry).split("/")[0]  # "8000:8000/tcp"
        parts = text.rsplit(":", 2)
        if len(parts) == 1 and _int(parts[0]) == container_port:
            return container_port
        if len(parts) >= 2 and _int(parts[-1]) == container_port:
            return _int(parts[-2])
    return None


def has_host_gateway(spec: dict) -> bool:
    hosts: Any = spec.get("extra_hosts") or []
    if isinstance(hosts, dict):
        pairs = [(str(k), str(v)) for k, v in hosts.items()]
    else:
        pairs = [tuple(re.split(r"[:=]", str(h), maxsplit=1)) + ("",) for h in hosts]
    return any(p[0].strip() == "host.docker.internal" and p[1].strip() == "host-gateway" for p in pairs)


def _int(value: Any) -> Optional[int]:
    try:
        return int(str(value).strip().strip('"'))
    except (TypeError, ValueError):
        return None


def data_folder_matches(folder: Path, service: ComposeService) -> bool:
    """The compose file mounts `<folder>/data` (written `./data`, or as an absolute path)."""
    source = service.data_source or ""
    if source.startswith("$") or source.startswith("~"):
        return True  # a variable or home path: compose resolves it, we cannot tell
    path = Path(source)
    if not path.is_absolute():
        path = service.file.parent / path
    try:
        return path.resolve() == (folder / "data").resolve()
    except OSError:
        return False
