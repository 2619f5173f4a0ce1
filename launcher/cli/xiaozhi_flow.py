"""What the `xiaozhi` verb and `start` show around the TTS block: where xiaozhi runs (and so
which address it gets), the 智控台 page to fill, xiaozhi's own check, and its restart."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

from launcher.cli.app import show_error, t

QUICK_CHECK_SECONDS = 60.0
MANAGER_NAMES = {"GPT_SOVITS_V2": "GPT-SoVITS V2", "GPT_SOVITS_V3": "GPT-SoVITS V3"}


# --- where xiaozhi runs -> the address it gets ---------------------------------------------------


def network_choice(xdir: Path):
    """The advertise/bind choice for a Docker deployment; None for a source install."""
    from launcher.xiaozhi import network
    from launcher.xiaozhi.files import deployment

    dep = deployment(xdir)
    return network.choose(dep) if dep.kind == "docker" else None


def show_choice(choice) -> None:
    from launcher import ui

    ui.line(t(choice.reason, **choice.params))
    if choice.guessed_from is not None:
        ui.warn(t("xiaozhi.net.guessed", error=t(choice.guessed_from.key, **choice.guessed_from.params)))
    for key, params in choice.notes:
        (ui.warn if key.endswith("warning") else ui.line)(t(key, **params))


def start_hosts(settings, profile, host: Optional[str], advertise_host: Optional[str]) -> tuple:
    """(bind host, advertise host) for `start`: a Docker deployment decides both unless given."""
    from launcher.errors import LauncherError
    from launcher.xiaozhi.network import bind_for

    if not settings.xiaozhi_dir or (host and advertise_host):
        return host, advertise_host
    try:
        choice = network_choice(Path(settings.xiaozhi_dir))
    except LauncherError:
        return host, advertise_host  # the block's own error shows after ready
    if choice is None:
        return host, advertise_host
    bind = None if host else bind_for(choice, profile.host)
    if bind is not None:
        show_choice(choice)
    return host or bind, advertise_host or choice.advertise


# --- 智控台 ---------------------------------------------------------------------------------------


def manager_value(value) -> str:
    """As the 智控台's dialog takes it: booleans and lists the way the provider reads them back."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def show_manager(edit) -> None:
    """Read-only: the page, the fields with exact values, the agent's choice, the voice override."""
    from launcher import ui

    name = MANAGER_NAMES.get(edit.module, edit.module)
    ui.warn(t("xiaozhi.manager_mode", url=edit.manager_url, path=str(edit.path), module=edit.module))
    ui.line(t("xiaozhi.manager.page", name=name))
    for key, label, value in edit.manager_fields:
        ui.line(t("xiaozhi.manager_field", key=key, label=label, value=manager_value(value)))
    ui.line(t("xiaozhi.manager.save", name=name))
    ui.line(t("xiaozhi.manager.voice_note", name=name))
    ui.line(t("xiaozhi.manager.no_restart"))


# --- xiaozhi's own check ------------------------------------------------------------------------


def run_check(xdir: Path, *, text: str, python: Optional[Path] = None, timeout: float = 120.0, target=None,
              quick: bool = False):
    """Show and return the check's report; None when `quick` and xiaozhi's code cannot run here."""
    from launcher import ui
    from launcher.xiaozhi import check
    from launcher.xiaozhi.files import deployment

    dep = deployment(xdir)
    route = check.choose_route(dep, python)
    if quick and route.kind == "launcher":
        return None
    _show_route(route, dep)
    with ui.Progress(t("xiaozhi.check.running")):
        if route.kind == "launcher":
            report = check.launcher_side(xdir, route, text=text, target=target, timeout=timeout)
        else:
            report = check.run_check(xdir, text=text, timeout=timeout, route=route)
            if report.route.kind == "launcher":  # Docker failed on the way: say so, check from here
                _show_route(report.route, dep)
                report = check.launcher_side(xdir, report.route, text=text, target=target, timeout=timeout)
            elif _manager_mode(report) and target is not None:  # the block lives in the 智控台
                ui.warn(t("xiaozhi.check.fallback", reason=t(report.problem.key, **report.problem.params)))
                report = check.launcher_side(xdir, report.route, text=text, target=target, timeout=timeout)
    for key, params in report.notes:
        ui.line(t(key, **params))
    if report.ok:
        key = "xiaozhi.check.ok" if report.route.kind != "launcher" else "xiaozhi.check.ok_launcher"
        ui.success(t(key, module=report.module or "-", url=report.url or "-", seconds=report.seconds,
                     audio=report.audio_seconds, rate=report.rate))
    return report


def _manager_mode(report) -> bool:
    return report.problem is not None and report.problem.key == "xiaozhi.check.manager_mode"


def _show_route(route, dep) -> None:
    from launcher import ui

    if route.kind == "docker":
        ui.line(t("xiaozhi.check.via_docker", container=route.container.name))
    elif route.kind == "source":
        ui.line(t("xiaozhi.check.via_source." + route.python.how, python=str(route.python.path),
                  folder=str(dep.folder)))
    else:
        reason = route.reason
        ui.warn(t("xiaozhi.check.fallback", reason=t(reason.key, **reason.params)))


def raise_problem(report) -> None:
    if report is not None and report.problem is not None:
        problem = report.problem
        if report.raw_error and report.raw_error not in problem.details:
            problem.details.append(report.raw_error)
        raise problem


# --- restart --------------------------------------------------------------------------------------


def restart_or_say_how(xdir: Path, *, restart: bool, layout) -> None:
    """With --restart: restart xiaozhi-server and wait for it. Without: the one thing left to do."""
    from launcher import ui
    from launcher.xiaozhi import restart as rs
    from launcher.xiaozhi.files import deployment, merged_config
    from launcher.errors import LauncherError

    dep = deployment(xdir)
    if not restart:
        key, params = rs.how(dep)
        ui.line(t("xiaozhi.restart.left", how=t(key, **params)))
        return
    port = None
    if dep.kind == "source":
        try:
            port = int((merged_config(xdir).get("server") or {}).get("port") or 8000)
        except (LauncherError, TypeError, ValueError):
            port = None
    with ui.Progress(t("xiaozhi.restart.running")):
        done = rs.restart(dep, logs=layout.logs, port=port)
    if isinstance(done, rs.ByHand):
        ui.warn(t(done.reason.key, **done.reason.params))
        ui.line(t("xiaozhi.restart.by_hand", folder=done.folder, command=done.command))
        return
    ui.success(t("xiaozhi.restart.done", target=done.target, seconds=done.seconds, url=done.url))
    if done.log:
        ui.line(t("xiaozhi.restart.log", log=done.log))


# --- after `start` ---------------------------------------------------------------------------------


def update_after_start(plan, settings, layout, *, advertise_host=None, module=None, restart=False) -> None:
    """Point xiaozhi at the server that just became ready, in one line; check it with xiaozhi's
    own code when that is quick; restart xiaozhi when asked, else say that one thing is left.
    A problem here is a warning: the server itself is fine and keeps running."""
    from launcher import ui
    from launcher.errors import LauncherError
    from launcher.xiaozhi import config as xiaozhi
    from launcher.xiaozhi.integrate import xiaozhi_target

    if not settings.xiaozhi_dir:
        return
    xdir = Path(settings.xiaozhi_dir)
    try:
        target = xiaozhi_target(plan, advertise_host=advertise_host, module=module)
        edit = xiaozhi.plan(xdir, target)
        if edit.manager_mode:
            ui.line(t("xiaozhi.start.manager", url=edit.manager_url, profile=plan.profile.name))
            return
        if edit.changed:
            xiaozhi.apply(edit)
            ui.success(t("xiaozhi.start.pointed", url=edit.block.get("url", ""), module=edit.module,
                         name=plan.profile.title))
            _why_this_address(xdir, advertise_host, plan.profile.host)
            report = run_check(xdir, text=_sentence(plan.profile), timeout=QUICK_CHECK_SECONDS, quick=True)
            if report is not None and report.problem is not None:
                show_error(report.problem)
                return
        if edit.changed or restart:
            restart_or_say_how(xdir, restart=restart, layout=layout)
    except LauncherError as exc:
        show_error(exc)


def _why_this_address(xdir: Path, advertise_host, profile_host: str) -> None:
    """With a newly written Docker address, why it is that one (unless `start_hosts` said it)."""
    from launcher import ui
    from launcher.xiaozhi.network import bind_for

    choice = network_choice(xdir)
    if choice is not None and advertise_host == choice.advertise and bind_for(choice, profile_host) is None:
        ui.line(t(choice.reason, **choice.params))


def _sentence(profile) -> str:
    return f"你好，我是{profile.display_name or profile.name}。"


# --- `status` ----------------------------------------------------------------------------------------


def status_marker(settings):
    """row -> what the xiaozhi column shows: ✓ where xiaozhi's TTS URL points, ✗ when it uses this
    port with the wrong API or path, blank otherwise (and without a xiaozhi folder)."""
    from launcher.errors import LauncherError
    from launcher.xiaozhi import pointing

    if not settings.xiaozhi_dir:
        return lambda row: ""
    try:
        here = pointing.effective(Path(settings.xiaozhi_dir))
    except LauncherError:
        return lambda row: ""
    parsed = pointing.parse_url(here.url) if here.mode == "local" else None

    def mark(row) -> str:
        if parsed is None or parsed.port != row.port:
            return ""
        return "✓" if pointing.points_at(here, row) else t("xiaozhi.status.mismatch")

    return mark
