"""The `docker` command, as far as the launcher needs it for xiaozhi-server.

Every call goes through `docker(...)`: argv as a list (never a shell), a
timeout, and Docker's own failures turned into keyed errors: the command is
missing, the daemon (Docker Desktop) is not running, or the user may not talk
to it. The container is xiaozhi's only when it mounts the deployment's data/
folder or runs xiaozhi's image: nothing else is ever restarted.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from launcher.errors import BadInput, LauncherError, NotRunning
from launcher.xiaozhi.deploy import IMAGE_DATA, IMAGE_DIR, SERVICE, Deployment

# What the docker client prints when it cannot reach the daemon (Linux socket, Windows pipe).
_DAEMON_DOWN = (
    "cannot connect to the docker daemon",
    "error during connect",
    "is the docker daemon running",
    "dockerdesktoplinuxengine",
    "docker_engine: the system cannot find the file specified",
)
_NO_PERMISSION = "permission denied while trying to connect to the docker"
_NO_SUCH = ("no such object", "no such container")


@dataclass
class Container:
    id: str
    name: str
    running: bool
    status: str  # running | exited | created | paused | restarting | dead
    image: str
    mounts: list = field(default_factory=list)  # [(host source, container destination)]
    labels: dict = field(default_factory=dict)

    def is_xiaozhi(self, data_folder: Optional[Path] = None) -> bool:
        """xiaozhi's server: its image, or (a rebuilt image) our data/ mounted where xiaozhi reads it."""
        if data_folder is not None and any(
            dest.rstrip("/") == IMAGE_DATA and same_host_folder(src, data_folder) for src, dest in self.mounts
        ):
            return True
        return "xiaozhi-esp32-server" in self.image and ":web" not in self.image and "-web" not in self.name


def docker_command() -> Optional[str]:
    return shutil.which("docker")


def docker(*args: str, input_text: Optional[str] = None, timeout: float = 30.0) -> subprocess.CompletedProcess:
    """Run `docker <args>`; raise a keyed error when Docker itself is unusable."""
    exe = docker_command()
    if exe is None:
        raise NotRunning("xiaozhi.docker.missing")
    try:
        done = subprocess.run(
            [exe, *args], input=input_text, capture_output=True, text=True, encoding="utf-8", errors="replace",
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as exc:
        raise LauncherError("xiaozhi.docker.timeout", command="docker " + " ".join(args[:2]), seconds=int(timeout)) from exc
    except OSError as exc:
        raise NotRunning("xiaozhi.docker.missing") from exc
    if done.returncode != 0:
        lowered = (done.stderr or "").lower()
        if _NO_PERMISSION in lowered:
            raise BadInput("xiaozhi.docker.no_permission", error=_first_line(done.stderr))
        if any(text in lowered for text in _DAEMON_DOWN):
            raise NotRunning("xiaozhi.docker.daemon_down", error=_first_line(done.stderr))
    return done


def _first_line(text: str) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[0][:300] if lines else ""


def inspect(*names: str) -> list:
    """`docker inspect` of containers; names Docker does not know are left out."""
    done = docker("inspect", "--type", "container", *names)
    try:
        data = json.loads(done.stdout or "[]")
    except ValueError:
        data = []
    if done.returncode != 0 and not data and not any(t in (done.stderr or "").lower() for t in _NO_SUCH):
        raise LauncherError("xiaozhi.docker.failed", command="docker inspect", error=_first_line(done.stderr))
    return [_container(item) for item in data if isinstance(item, dict)]


def _container(item: dict) -> Container:
    state = item.get("State") or {}
    config = item.get("Config") or {}
    mounts = [(str(m.get("Source") or ""), str(m.get("Destination") or "")) for m in item.get("Mounts") or []]
    return Container(
        id=str(item.get("Id") or ""),
        name=str(item.get("Name") or "").lstrip("/"),
        running=bool(state.get("Running")),
        status=str(state.get("Status") or ("running" if state.get("Running") else "exited")),
        image=str(config.get("Image") or item.get("Image") or ""),
        mounts=mounts,
        labels=dict(config.get("Labels") or {}),
    )


def find_container(dep: Deployment) -> Optional[Container]:
    """xiaozhi's container for this deployment: by name, else by its mounted data/ folder."""
    data_folder = dep.folder / "data"
    names = [dep.container] + ([SERVICE] if dep.container != SERVICE else [])
    for found in inspect(*names):
        if found.is_xiaozhi(data_folder):
            return found
    done = docker("ps", "-a", "-q", "--no-trunc")
    ids = [line.strip() for line in (done.stdout or "").splitlines() if line.strip()]
    if done.returncode != 0 or not ids:
        return None
    for found in inspect(*ids):
        if any(dest.rstrip("/") == IMAGE_DATA and same_host_folder(src, data_folder) for src, dest in found.mounts):
            return found
    return None


def same_host_folder(source: str, folder: Path) -> bool:
    """A mount's Source against a host folder, across Docker Desktop's spellings of it
    (`D:\\x\\data`, `/run/desktop/mnt/host/d/x/data`, `/host_mnt/d/x/data`)."""
    return _normal(source) == _normal(str(Path(folder).resolve()))


def _normal(path: str) -> str:
    text = path.replace("\\", "/").rstrip("/").lower()
    for prefix in ("/run/desktop/mnt/host/", "/host_mnt/", "/mnt/host/"):
        if text.startswith(prefix):
            text = "/" + text[len(prefix):]
    if len(text) >= 2 and text[1] == ":":  # d:/x -> /d/x
        text = "/" + text[0] + text[2:]
    return text


def exec_in(container: str, *argv: str, input_text: Optional[str] = None, timeout: float = 30.0,
            workdir: str = IMAGE_DIR) -> subprocess.CompletedProcess:
    return docker("exec", "-i", "-w", workdir, container, *argv, input_text=input_text, timeout=timeout)


def read_file(container: str, path: str) -> Optional[str]:
    """A file's text inside a running container, None when it cannot be read."""
    done = exec_in(container, "cat", path)
    return done.stdout if done.returncode == 0 else None


def restart(container: Container) -> None:
    done = docker("restart", container.name or container.id, timeout=120.0)
    if done.returncode != 0:
        raise LauncherError("xiaozhi.docker.failed", command=f"docker restart {container.name}", error=_first_line(done.stderr))


def engine() -> str:
    """"desktop" (Docker Desktop: host.docker.internal reaches the host's 127.0.0.1) or "engine"."""
    done = docker("info", "--format", "{{.OperatingSystem}}", timeout=15.0)
    if done.returncode != 0:
        raise LauncherError("xiaozhi.docker.failed", command="docker info", error=_first_line(done.stderr))
    return "desktop" if "docker desktop" in (done.stdout or "").lower() else "engine"


def bridge_gateway() -> Optional[str]:
    """The default bridge's gateway (docker0, usually 172.17.0.1) = what host-gateway resolves to."""
    done = docker("network", "inspect", "bridge", "--format", "{{(index .IPAM.Config 0).Gateway}}", timeout=15.0)
    value = (done.stdout or "").strip()
    return value if done.returncode == 0 and value and "<" not in value else None
