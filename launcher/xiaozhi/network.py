"""Which address xiaozhi should use for GPT-SoVITS, and where the server must listen for it.

From inside a container, 127.0.0.1 is the container itself. What reaches the
host depends on the Docker product:

- Docker Desktop (Windows, macOS, and Desktop for Linux) resolves
  `host.docker.internal` in every container and re-originates that traffic on
  the host, towards the host's 127.0.0.1 (Docker's networking manual, "Connect
  a container to a service on the host"; vpnkit rewrites the destination to
  localhost). A server bound to 127.0.0.1 is reachable and stays off the LAN.
- Docker Engine on Linux has no `host.docker.internal` unless the compose file
  maps it (`extra_hosts: ["host.docker.internal:host-gateway"]`), and
  host-gateway is the default bridge's address (docker0, usually 172.17.0.1).
  A server bound to 127.0.0.1 is not reachable from a container: it must
  listen on that bridge address (reachable by every container on this host,
  not by the LAN) or on 0.0.0.0.

A source install on the same machine uses 127.0.0.1 for both.
"""

from __future__ import annotations

import ipaddress
import sys
from dataclasses import dataclass, field
from typing import Optional

from launcher.errors import LauncherError
from launcher.xiaozhi.deploy import Deployment

DESKTOP_HOST = "host.docker.internal"
DEFAULT_BRIDGE = "172.17.0.1"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass
class NetworkChoice:
    """`advertise`: the host written into xiaozhi's url. `bind`: the address the GPT-SoVITS
    server must listen on (None: keep the profile's). `reason`: a message key (+ `params`)
    that says what was chosen and why; `notes`: further keys (a warning, what to add)."""

    advertise: Optional[str]
    bind: Optional[str]
    reason: str
    params: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)  # [(key, params)]
    guessed_from: Optional[LauncherError] = None  # Docker did not answer: the product is a guess


def choose(dep: Deployment, *, engine: Optional[str] = None, gateway: Optional[str] = None) -> NetworkChoice:
    """The choice for this deployment. `engine`/`gateway` are asked from Docker when not given."""
    if dep.kind != "docker":
        return NetworkChoice(None, None, "xiaozhi.net.source")
    product, why = (engine, None) if engine else _engine()
    if product == "desktop":
        return NetworkChoice(DESKTOP_HOST, "127.0.0.1", "xiaozhi.net.desktop", {"host": DESKTOP_HOST}, guessed_from=why)
    bridge = gateway or _bridge_address()
    service = dep.compose.name if dep.compose else "xiaozhi-esp32-server"
    compose = str(dep.compose.file) if dep.compose else "docker-compose.yml"
    notes = [("xiaozhi.net.bridge_warning", {"bind": bridge})]
    if dep.compose is not None and dep.compose.host_gateway:
        return NetworkChoice(DESKTOP_HOST, bridge, "xiaozhi.net.engine_gateway", {"bind": bridge}, notes, why)
    notes.append(("xiaozhi.net.extra_hosts", {"compose": compose, "service": service}))
    return NetworkChoice(bridge, bridge, "xiaozhi.net.engine", {"bind": bridge}, notes, why)


def _engine() -> tuple:
    """("desktop" | "engine", None), or a guess from the OS with Docker's error.

    Docker Engine runs natively on Linux only; Windows and macOS have Desktop.
    """
    from launcher.xiaozhi import docker

    try:
        return docker.engine(), None
    except LauncherError as exc:
        return ("engine" if sys.platform.startswith("linux") else "desktop"), exc


def _bridge_address() -> str:
    """docker0's IPv4 address (psutil, no Docker call), else the bridge's gateway, else 172.17.0.1."""
    try:
        import psutil

        for addr in psutil.net_if_addrs().get("docker0", []):
            if addr.family == 2 and addr.address:  # AF_INET
                return addr.address
    except Exception:  # noqa: BLE001  (an OS without the call: fall through)
        pass
    try:
        from launcher.xiaozhi import docker

        return docker.bridge_gateway() or DEFAULT_BRIDGE
    except LauncherError:
        return DEFAULT_BRIDGE


def bind_for(choice: NetworkChoice, profile_host: str) -> Optional[str]:
    """The bind address a start should use: the choice's when the profile listens on loopback only."""
    if choice.bind is None or profile_host not in LOOPBACK:
        return None
    if choice.bind in LOOPBACK:
        return None  # loopback is what the profile has already
    return choice.bind


def reachable_bind(choice: NetworkChoice, bind_host: str) -> bool:
    """Whether a server listening on `bind_host` answers at the advertised address."""
    if choice.bind is None or bind_host in ("0.0.0.0", "::", "[::]"):
        return True
    if choice.bind in LOOPBACK:
        return bind_host in LOOPBACK
    return _same_ip(bind_host, choice.bind)


def _same_ip(a: str, b: str) -> bool:
    try:
        return ipaddress.ip_address(a) == ipaddress.ip_address(b)
    except ValueError:
        return a == b
