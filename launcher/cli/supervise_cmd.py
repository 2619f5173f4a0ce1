"""Warm-up and restart-on-crash as the CLI wires them, and the hidden `supervise` verb.

`start` asks here for a `warm` callable (the request xiaozhi will send, built by
launcher.xiaozhi, checked like `say` checks it) and for a `Supervisor` whose
messages are rendered here. `supervise` is the small detached process that
`start --detach --restart-on-crash` leaves behind; its output goes to
state/logs/supervise-<port>.log.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable, Optional

import typer

from launcher.cli.app import app, show_error, show_notice, t
from launcher.cli import common


def warm_request(plan, settings):
    """The request xiaozhi sends for a short text, with this plan's reference and settings."""
    from launcher.errors import LauncherError
    from launcher.server.warmup import warm_text
    from launcher.xiaozhi.config import say_request
    from launcher.xiaozhi.integrate import xiaozhi_target

    target = xiaozhi_target(plan)
    text = warm_text(plan.profile.text_lang)
    xdir = Path(settings.xiaozhi_dir) if settings.xiaozhi_dir else None
    if xdir is not None:
        try:
            return say_request(target, text, xdir)
        except LauncherError:
            pass  # a broken xiaozhi folder is reported by the xiaozhi step; warm with the provider's defaults
    return say_request(target, text, None)


def make_warm(settings, *, progress=None, on_line=None, on_failure=None, results: Optional[dict] = None) -> Callable:
    """`warm(server)` for process.run and the Supervisor: skipped (with a notice) without a reference."""
    from launcher.errors import Notice
    from launcher.server.warmup import warm_up
    from launcher.xiaozhi.integrate import speech_check

    def warm(server) -> None:
        plan = server.plan
        if plan.ref_path is None:
            show_notice(Notice("warmup.no_reference", profile=plan.profile.title))
            return
        if progress is not None:
            progress.label = t("warmup.warming", name=plan.profile.title)
        request = warm_request(plan, settings)
        result = warm_up(server, request, speech_check(plan, request), on_line=on_line,
                         on_tick=progress.tick if progress is not None else None, on_failure=on_failure)
        if results is not None:
            results["seconds"] = result.seconds

    return warm


def warm_switched(plan, record, registry, settings, progress=None) -> None:
    """After a hot switch: the new character's first synthesis, before "done"."""
    from launcher.server.watch import LogReader, Server

    current = next((r for r in registry.find(port=record.port) if r.host == record.host), record)
    log = Path(current.log)
    server = Server(plan=plan, record=current, process=None,
                    log=LogReader(log, log.stat().st_size if log.is_file() else 0), detached=current.detached)
    make_warm(settings, progress=progress, on_failure=show_notice)(server)


def replanner(layout, *, python=None) -> Callable:
    """The plan for a record's current character (a hot switch may have changed it)."""
    from launcher.paths import load_settings
    from launcher.profiles.schema import find_profile, load_profile
    from launcher.server.plan import plan_start

    def replan(record):
        path = Path(record.profile_path) if record.profile_path else None
        profile = load_profile(path) if path is not None and path.is_file() else find_profile(record.profile, layout.profiles)
        return plan_start(profile, layout=layout, settings=load_settings(layout), api=record.api, host=record.host,
                          port=record.port, python=python, root=record.root)

    return replan


def supervisor(layout, settings, *, python=None, timeout: float, warm: bool, detach: bool, on_line=None,
               stamp: bool = False):
    """A Supervisor whose crashes and restarts are told on the console (or its log)."""
    from launcher import ui
    from launcher.server.supervise import Policy, Supervisor

    def say(text: str, style: str = "yellow") -> None:
        prefix = time.strftime("[%Y-%m-%d %H:%M:%S] ") if stamp else ""
        ui.err().print(prefix + text, style=style, markup=False)

    def on_crash(crash, attempt, delay) -> None:
        say(t("supervise.crashed", profile=crash.params.get("profile", "?"), reason=t(crash.key, **crash.params),
              seconds=f"{delay:g}", attempt=attempt))
        for line in crash.tail:
            say("    " + line, style="dim")

    def on_restarted(server, restarts) -> None:
        profile = server.plan.profile
        say(t("supervise.restarted", profile=common.label(profile.name, profile.display_name), port=server.plan.port,
              restarts=restarts, url=server.plan.url), style="green")

    return Supervisor(
        layout=layout,
        replan=replanner(layout, python=python),
        warm=make_warm(settings, on_line=on_line, on_failure=show_notice) if warm else None,
        policy=Policy.from_env(),
        timeout=timeout,
        detach=detach,
        on_line=on_line,
        on_failure=show_notice,
        on_crash=on_crash,
        on_restarted=on_restarted,
    )


def leave_supervisor(server, layout, *, python=None, timeout: float, warm: bool) -> None:
    """`start --detach --restart-on-crash`: the detached supervisor adopts the ready server."""
    from launcher import ui
    from launcher.server.supervise import start_supervisor, supervisor_argv

    argv = supervisor_argv(server.record, python=str(python) if python else None, timeout=timeout, warm=warm)
    record = start_supervisor(server.record, layout, argv)
    ui.line(t("supervise.detached", pid=record.supervisor_pid, log=str(layout.logs / f"supervise-{record.port}.log")))


@app.command("supervise", hidden=True, help="help.supervise", short_help="help.supervise.short")
def supervise_command(
    name: str = typer.Argument(..., help="help.opt.profile"),  # names the process; the port's record decides
    port: int = typer.Option(..., "--port", help="help.start.port"),
    host: str = typer.Option("127.0.0.1", "--host", help="help.start.host"),
    python: Optional[Path] = typer.Option(None, "--python", help="help.opt.python"),
    timeout: float = typer.Option(300.0, "--timeout", help="help.start.timeout"),
    no_warmup: bool = typer.Option(False, "--no-warmup", help="help.start.no_warmup"),
) -> None:
    """Look after a detached server: restart it when it crashes (help: help.supervise)."""
    from launcher import ui
    from launcher.errors import LauncherError
    from launcher.server.process import _guarded
    from launcher.server.registry import Registry
    from launcher.server.stopping import stop_server
    from launcher.server.supervise import wait_for_adoption
    from launcher.server.watch import LogReader, Server

    layout = common.home()
    record = wait_for_adoption(layout, host, port)
    if record is None:
        ui.line(t("supervise.nothing", name=name, port=port))
        raise typer.Exit(1)
    sup = supervisor(layout, common.settings(), python=python, timeout=timeout, warm=not no_warmup, detach=True,
                     stamp=True)
    plan = sup.replan(record)
    # The whole log of this run (a start rotates it): a shutdown that happened before
    # this process came up must still be seen as one.
    server = Server(plan=plan, record=record, process=None, log=LogReader(Path(record.log)), detached=True)
    ui.line(time.strftime("[%Y-%m-%d %H:%M:%S] ") + t("supervise.watching", profile=plan.profile.title, port=port,
                                                         pid=record.pid))
    try:
        with _guarded():  # SIGTERM, a closed session: like Ctrl+C, the server is stopped too
            sup.keep(server)
    except KeyboardInterrupt:
        # Ended by a signal (a logout, `kill`): the server it looks after goes with it.
        stop_server(server.record, Registry(layout.registry_file), graceful=False)
        raise
    except LauncherError as exc:
        ui.line(time.strftime("[%Y-%m-%d %H:%M:%S]"))
        show_error(exc)
        raise typer.Exit(exc.exit_code)
    ui.line(time.strftime("[%Y-%m-%d %H:%M:%S] ") + t("supervise.ended", profile=server.plan.profile.title, port=port))
