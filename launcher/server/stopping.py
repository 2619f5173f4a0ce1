"""`stop`: pick the servers to end (by profile, port or all) and end them."""

from __future__ import annotations

from launcher.errors import NotRunning
from launcher.paths import Layout
from launcher.server.registry import Registry, ServerRecord, port_owner
from launcher.server.lifecycle import StopResult, stop_server


def stop(layout: Layout, *, profile: str | None = None, port: int | None = None, all_servers: bool = False) -> list[StopResult]:
    registry = Registry(layout.registry_file)
    if all_servers:
        targets = registry.servers()
    else:
        targets = registry.find(profile=profile, port=port)
        if not targets and port is not None and profile is None:
            adopted = _adopt_by_port(port)
            if adopted:
                targets = [adopted]
        if not targets:
            raise NotRunning("stop.not_running", name=profile or f":{port}")
    return [stop_server(rec, registry) for rec in targets]


def _adopt_by_port(port: int) -> ServerRecord | None:
    """A GPT-SoVITS server we did not start (a hand-typed command) on the port the
    user named explicitly: stop it too."""
    owner = port_owner(port)
    if not owner or not any(part.endswith(("api.py", "api_v2.py")) for part in owner["cmdline"]):
        return None
    return ServerRecord(
        profile=f":{port}",
        api="v2" if any(p.endswith("api_v2.py") for p in owner["cmdline"]) else "v1",
        host="127.0.0.1",
        port=port,
        pid=owner["pid"],
        create_time=owner["create_time"],
        log="",
        root="",
    )
