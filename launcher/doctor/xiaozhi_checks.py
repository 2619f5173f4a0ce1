"""doctor's xiaozhi section: the folder, and whether xiaozhi's TTS URL reaches a running server.

The mismatch is found before xiaozhi fails on a device: the URL's port has a
server of ours (else: which ones run, and the command that points xiaozhi at
one), its API fits the block's type (gpt_sovits_v2 needs api_v2.py and /tts,
gpt_sovits_v3 needs api.py and the root), and its host reaches the server from
where xiaozhi runs (a container cannot use 127.0.0.1; the server must listen
where the advertised host leads).
"""

from __future__ import annotations

from pathlib import Path

from launcher.doctor.checks import CheckResult, Section, fail, from_error, ok, warn
from launcher.errors import LauncherError


def xiaozhi_section(folder: Path, running: list, profiles: tuple = ()) -> Section:
    """The remembered xiaozhi-server folder (source or Docker), then where its TTS points
    (`running`: registry records; `profiles`: the profiles, to name the one to start)."""
    from launcher.xiaozhi.deploy import find_service

    section = Section("xiaozhi", str(folder))
    add = section.checks.append
    if not folder.is_dir():
        add(fail("xiaozhi.folder", "doctor.xiaozhi_missing", path=str(folder)))
        return section
    if (folder / "config.yaml").is_file():
        add(ok("xiaozhi.folder", "doctor.xiaozhi_ok", path=str(folder)))
    elif find_service(folder) is not None:
        service = find_service(folder)
        add(ok("xiaozhi.folder", "xiaozhi.doctor.docker_ok", path=str(service.file), service=service.name))
    else:
        add(fail("xiaozhi.folder", "doctor.xiaozhi_no_config", path=str(folder)))
        return section
    add(pointing_check(folder, running, profiles))
    return section


def pointing_check(folder: Path, running: list, profiles: tuple = ()) -> CheckResult:
    from launcher.xiaozhi import pointing as pt

    here = pt.effective(folder)
    if here.mode == "missing":
        return warn("xiaozhi.tts", "xiaozhi.doctor.no_data_config", path=str(folder / "data" / ".config.yaml"))
    if here.mode == "broken":
        assert here.error is not None
        return from_error("xiaozhi.tts", here.error)
    if here.mode == "manager":
        return ok("xiaozhi.tts", "xiaozhi.doctor.manager", url=here.manager_url)
    if here.api is None:
        return warn("xiaozhi.tts", "xiaozhi.doctor.not_gsv", module=here.module or "-", type=here.type or "-")
    parsed = pt.parse_url(here.url)
    names = ", ".join(f"{s.profile} :{s.port} ({s.api})" for s in running) or "-"
    if parsed is None:
        return fail("xiaozhi.tts", "xiaozhi.doctor.bad_url", url=str(here.url), module=here.module)
    if not pt.path_ok(here.type or "", parsed.path):
        return fail("xiaozhi.tts", "xiaozhi.doctor.bad_path", url=here.url, module=here.module, type=here.type,
                    expected=pt.expected_path(here.type or ""))
    kind = pt.deployment_kind(folder)
    if kind == "docker" and parsed.host in ("127.0.0.1", "localhost", "::1"):
        return fail("xiaozhi.tts", "xiaozhi.doctor.loopback_in_docker", url=here.url)
    on_port = [s for s in running if s.port == parsed.port]
    if not on_port:
        if running:
            return fail("xiaozhi.tts", "xiaozhi.doctor.nothing_there", url=here.url, running=names,
                        profile=running[0].profile)
        match = next((p for p in profiles if p.port == parsed.port and p.api == here.api), None)
        if match is not None:
            return warn("xiaozhi.tts", "xiaozhi.doctor.no_server_profile", url=here.url, profile=match.name)
        return warn("xiaozhi.tts", "xiaozhi.doctor.no_server", url=here.url)
    server = on_port[0]
    if server.api != here.api:
        return fail("xiaozhi.tts", "xiaozhi.doctor.wrong_api", url=here.url, module=here.module,
                    profile=server.profile, api=server.api)
    unreachable = _unreachable(folder, kind, parsed.host, server.host)
    if unreachable is not None:
        return unreachable(server)
    return ok("xiaozhi.tts", "xiaozhi.doctor.points_ok", url=here.url, profile=server.display_name or server.profile)


def _unreachable(folder: Path, kind: str, url_host: str, bind_host: str):
    """None when a client at xiaozhi's place reaches the server; else a function making the failure."""
    from launcher.xiaozhi import network
    from launcher.xiaozhi.files import deployment
    from launcher.xiaozhi.pointing import host_reaches

    if kind == "docker":
        try:
            choice = network.choose(deployment(folder))
        except LauncherError:
            choice = None
        if choice is not None and url_host in (choice.advertise, "host.docker.internal"):
            if network.reachable_bind(choice, bind_host):
                return None
            return lambda s: fail("xiaozhi.tts", "xiaozhi.doctor.bind_unreachable", profile=s.profile,
                                  bind=bind_host, need=choice.bind, url_host=url_host)
    if host_reaches(url_host, bind_host, kind):
        return None
    return lambda s: fail("xiaozhi.tts", "xiaozhi.doctor.bind_unreachable", profile=s.profile, bind=bind_host,
                          need=url_host, url_host=url_host)
