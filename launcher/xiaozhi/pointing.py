"""Where xiaozhi's effective TTS URL points, and whether a running server answers there.

Read without asking Docker (fast enough for `status`); `doctor` compares it
with the servers the launcher runs: the port, the API (a gpt_sovits_v2 URL must
end in /tts and needs api_v2.py; gpt_sovits_v3/v1 use the root and api.py) and
the host (inside a container, 127.0.0.1 is the container itself; the server
must listen where the advertised host leads).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

from launcher.errors import LauncherError
from launcher.xiaozhi.files import (
    data_config_path,
    deployment,
    manager_url,
    mapping,
    merge_configs,
    parse_plain,
    shipped_config,
)
from launcher.xiaozhi.network import LOOPBACK

WILDCARDS = ("0.0.0.0", "::", "[::]", "")
API_OF_TYPE = {"gpt_sovits_v2": "v2", "gpt_sovits_v3": "v1", "gpt_sovits_v1": "v1"}


@dataclass
class Pointing:
    mode: str  # "local" | "manager" | "missing" (no data/.config.yaml) | "broken"
    module: Optional[str] = None
    type: Optional[str] = None
    url: Optional[str] = None
    manager_url: Optional[str] = None
    error: Optional[LauncherError] = None

    @property
    def api(self) -> Optional[str]:
        return API_OF_TYPE.get(self.type or "")


def effective(xiaozhi_dir: Path, *, ask_docker: bool = False) -> Pointing:
    """xiaozhi's selected TTS module and its URL, merged as xiaozhi merges."""
    xdir = Path(xiaozhi_dir)
    path = data_config_path(xdir)
    if not path.is_file():
        return Pointing("missing")
    try:
        custom = parse_plain(path)
        if manager_url(custom):
            return Pointing("manager", manager_url=manager_url(custom))
        merged = merge_configs(shipped_config(xdir, ask_docker=ask_docker), custom)
    except LauncherError as exc:
        return Pointing("broken", error=exc)
    name = mapping(merged.get("selected_module")).get("TTS")
    block = mapping(mapping(merged.get("TTS")).get(name))
    url = block.get("url")
    return Pointing("local", str(name) if name else None, str(block.get("type") or name or ""),
                    str(url) if url else None)


@dataclass
class Parsed:
    host: str
    port: int
    path: str


def parse_url(url: Optional[str]) -> Optional[Parsed]:
    try:
        parts = urlsplit(url or "")
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return Parsed(parts.hostname, port, parts.path or "/")


def path_ok(kind: str, path: str) -> bool:
    """api_v2.py synthesizes at /tts; api.py at its root."""
    if kind == "gpt_sovits_v2":
        return path.rstrip("/") == "/tts"
    return path in ("", "/")


def expected_path(kind: str) -> str:
    return "/tts" if kind == "gpt_sovits_v2" else "/"


def host_reaches(url_host: str, bind_host: str, kind: str) -> bool:
    """A client using `url_host` reaches a server bound to `bind_host` (deployment `kind`)."""
    if kind == "docker" and url_host in LOOPBACK:
        return False  # the container itself
    if url_host == "host.docker.internal":
        return kind == "docker"  # Desktop forwards to 127.0.0.1; Engine's mapping is host-gateway
    if bind_host in WILDCARDS:
        return True
    if bind_host in LOOPBACK:
        return url_host in LOOPBACK
    return url_host == bind_host


def points_at(pointing: Pointing, server) -> bool:
    """`server` (a registry record: api, host, port) is where xiaozhi sends its requests."""
    parsed = parse_url(pointing.url)
    if pointing.mode != "local" or parsed is None or parsed.port != server.port:
        return False
    return pointing.api == server.api and path_ok(pointing.type or "", parsed.path)


def deployment_kind(xiaozhi_dir: Path) -> str:
    return deployment(Path(xiaozhi_dir)).kind
