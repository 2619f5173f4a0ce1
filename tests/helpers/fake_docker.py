"""A fake `docker` command for tests: a Python script put first on PATH.

It records every argv (JSON lines in `calls.jsonl`) and answers the commands the
launcher uses the way Docker's client does (exit code, stdout, stderr), from a
state file the test writes:

- `info --format {{.OperatingSystem}}`, `network inspect bridge --format ...`;
- `inspect --type container NAME...`: a JSON list of the known ones, and
  "Error: No such object: NAME" for the others (exit 1);
- `ps -a -q --no-trunc`: the container ids;
- `exec -i -w DIR CONTAINER CMD...`: refused for a missing or stopped container,
  else CMD runs here, in the container's folder on disk (`root`): a path under
  /opt/xiaozhi-esp32-server maps into it, and `python` is the interpreter the
  state names;
- `restart NAME`: marks it running, and (with `alive_port`) starts a small
  server answering "Server is running" there, as xiaozhi's websocket port does;
- a daemon that is "down" answers everything with Docker's own message.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from helpers.xiaozhi_like import ALIVE_HANDLER

SCRIPT = r'''#!{python}
import json, os, subprocess, sys, time
STATE = {state!r}
CALLS = {calls!r}
IMAGE_DIR = "/opt/xiaozhi-esp32-server"
ALIVE = {alive!r}

def load():
    with open(STATE, encoding="utf-8") as f:
        return json.load(f)

def save(state):
    with open(STATE, "w", encoding="utf-8") as f:
        json.dump(state, f)

def public(c):
    return {{k: v for k, v in c.items() if k not in ("root",)}}

def find(state, name):
    for c in state["containers"]:
        if name in (c["Id"], c["Id"][:12], c["Name"].lstrip("/")):
            return c
    return None

def mapped(c, path):
    if path == IMAGE_DIR or path.startswith(IMAGE_DIR + "/"):
        return os.path.join(c["root"], path[len(IMAGE_DIR):].lstrip("/"))
    return path

def main(argv):
    with open(CALLS, "a", encoding="utf-8") as f:
        f.write(json.dumps(argv) + "\n")
    state = load()
    if state.get("daemon") == "down":
        sys.stderr.write("Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n")
        return 1
    cmd, args = argv[0], argv[1:]
    if cmd == "info":
        print(state.get("os", "Docker Desktop"))
        return 0
    if cmd == "network":
        print(state.get("bridge", "172.17.0.1"))
        return 0
    if cmd == "inspect":
        names = [a for a in args if not a.startswith("--") and a != "container"]
        found, code = [], 0
        for name in names:
            c = find(state, name)
            if c is None:
                sys.stderr.write("Error: No such object: %s\n" % name)
                code = 1
            else:
                found.append(public(c))
        print(json.dumps(found))
        return code
    if cmd == "ps":
        for c in state["containers"]:
            print(c["Id"])
        return 0
    if cmd == "exec":
        workdir, rest = None, list(args)
        while rest and rest[0].startswith("-"):
            opt = rest.pop(0)
            if opt == "-w":
                workdir = rest.pop(0)
        name, command = rest[0], rest[1:]
        c = find(state, name)
        if c is None:
            sys.stderr.write("Error response from daemon: No such container: %s\n" % name)
            return 1
        if not c["State"]["Running"]:
            sys.stderr.write("Error response from daemon: container %s is not running\n" % c["Id"])
            return 1
        cwd = mapped(c, workdir or IMAGE_DIR)
        if command[0] == "python":
            command = [state["python"]] + command[1:]
        else:
            command = [command[0]] + [mapped(c, a) for a in command[1:]]
        return subprocess.call(command, cwd=cwd)
    if cmd == "restart":
        c = find(state, args[-1])
        if c is None:
            sys.stderr.write("Error response from daemon: No such container: %s\n" % args[-1])
            return 1
        c["State"] = {{"Running": True, "Status": "running"}}
        if state.get("alive_port"):
            old = state.get("alive_pid")
            if old:
                try:
                    os.kill(old, 15)
                    time.sleep(0.3)
                except OSError:
                    pass
            proc = subprocess.Popen([sys.executable, "-c", ALIVE, str(state["alive_port"])],
                                    start_new_session=True, stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            state["alive_pid"] = proc.pid
        save(state)
        print(args[-1])
        return 0
    sys.stderr.write("fake docker: unsupported %r\n" % argv)
    return 2

sys.exit(main(sys.argv[1:]))
'''

# The container's xiaozhi answering on its websocket port, as the xiaozhi-like app.py does.
ALIVE_SERVER = r'''
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer
''' + ALIVE_HANDLER + r'''
HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
'''

XIAOZHI_IMAGE = "ghcr.nju.edu.cn/xinnan-tech/xiaozhi-esp32-server:server_latest"


@dataclass
class FakeDocker:
    bin: Path
    state_file: Path
    calls_file: Path

    def state(self) -> dict:
        return json.loads(self.state_file.read_text(encoding="utf-8"))

    def write(self, state: dict) -> None:
        self.state_file.write_text(json.dumps(state), encoding="utf-8")

    def update(self, **changes) -> None:
        state = self.state()
        state.update(changes)
        self.write(state)

    def calls(self) -> list:
        if not self.calls_file.exists():
            return []
        return [json.loads(line) for line in self.calls_file.read_text(encoding="utf-8").splitlines() if line]

    def add_container(self, name: str, *, data: Path | None, root: Path | None = None, running: bool = True,
                      image: str = XIAOZHI_IMAGE, cid: str | None = None) -> dict:
        state = self.state()
        container = {
            "Id": cid or (f"{len(state['containers']) + 1:02d}" * 32)[:64],
            "Name": "/" + name,
            "State": {"Running": running, "Status": "running" if running else "exited"},
            "Config": {"Image": image, "Labels": {}},
            "Mounts": [{"Type": "bind", "Source": str(data), "Destination": "/opt/xiaozhi-esp32-server/data"}]
            if data else [],
            "root": str(root) if root else "",
        }
        state["containers"].append(container)
        self.write(state)
        return container

    def stop_alive(self) -> None:
        pid = self.state().get("alive_pid")
        if pid:
            try:
                os.kill(pid, signal.SIGTERM)
            except OSError:
                pass


def install(folder: Path, monkeypatch, **state) -> FakeDocker:
    """Write the fake `docker` into `folder` and put it first on PATH."""
    folder.mkdir(parents=True, exist_ok=True)
    fake = FakeDocker(folder, folder / "state.json", folder / "calls.jsonl")
    fake.write({"containers": [], "python": sys.executable, **state})
    script = folder / "docker"
    script.write_text(
        SCRIPT.format(python=sys.executable, state=str(fake.state_file), calls=str(fake.calls_file), alive=ALIVE_SERVER),
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    monkeypatch.setenv("PATH", str(folder) + os.pathsep + os.environ.get("PATH", ""))
    from launcher.xiaozhi.image import forget

    forget()
    return fake


def no_docker(folder: Path, monkeypatch) -> None:
    """PATH without any docker command (an empty folder only)."""
    folder.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("PATH", str(folder))
    from launcher.xiaozhi.image import forget

    forget()
