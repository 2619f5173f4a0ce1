"""The typer app, the default verb, and the one error boundary.

`sovits-launch nahida --v1` is `sovits-launch start nahida --v1`: a first
argument that is not a verb is a profile to start. Only `run` catches errors:
a `LauncherError` becomes its catalog message + hint and its exit code.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

import typer
from typer.core import TyperGroup

try:  # typer >= 0.24 carries its own copy of click; older ones use click itself
    from typer import _click as click
except ImportError:  # pragma: no cover - depends on the installed typer
    import click  # type: ignore[no-redef]

from launcher import __version__
from launcher import messages as msg
from launcher.errors import EXIT_FAILED, EXIT_INTERRUPTED, LauncherError, Notice

DEFAULT_VERB = "start"
# Global options that take a value: their value must not be mistaken for a profile name.
_VALUE_OPTIONS = {"--lang"}


def _implied_verb(arg: str) -> str:
    """A pack folder or .zip (dropped onto sovits-launch.exe, Windows passes its path) is
    imported; anything else is a profile to start."""
    from launcher.paths import layout

    path = Path(arg)
    if (layout().profiles / f"{arg}.yaml").is_file():
        return DEFAULT_VERB  # a profile wins over a same-named folder in the current directory
    if path.suffix.lower() == ".zip" and path.is_file():
        return "import"
    if path.is_dir():
        return "import"
    return DEFAULT_VERB


class DefaultVerbGroup(TyperGroup):
    """Inserts `start` before a first argument that is not a known verb."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        args = list(args)
        i = 0
        while i < len(args):
            arg = args[i]
            if arg == "--":
                break
            if arg.startswith("-"):
                if arg in _VALUE_OPTIONS:
                    i += 1
                i += 1
                continue
            if arg not in self.commands:
                args.insert(i, _implied_verb(arg))
            break
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=DefaultVerbGroup,
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="GPT-SoVITS 启动器：按角色配置一键启动 api.py / api_v2.py，等到真正可用，并配好 xiaozhi。\n\n"
    "sovits-launch <角色> 等于 sovits-launch start <角色>。",
)

_debug = False


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sovits-launch {__version__}")
        raise typer.Exit()


@app.callback()
def _global(
    lang: Optional[str] = typer.Option(None, "--lang", help="消息语言 zh / en（默认跟随系统，中文优先）"),
    debug: bool = typer.Option(False, "--debug", help="出错时显示完整的 Python 回溯"),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="显示版本"),
) -> None:
    global _debug
    _debug = debug
    if lang:
        msg.set_language(lang)
    else:
        _saved_language()


def _saved_language() -> None:
    from launcher.paths import load_settings

    try:
        saved = load_settings().lang
    except LauncherError:
        saved = None
    if saved:
        msg.set_language(saved)


def t(key: str, /, **params) -> str:
    return msg.t(key, **params)


def show_notice(notice: Notice) -> None:
    from launcher import ui

    ui.warn(msg.t(notice.key, **notice.params))
    hint_key = notice.key + ".hint"
    if msg.has(hint_key):
        ui.err().print("  → " + msg.t(hint_key, **notice.params), style="yellow", markup=False)


def show_error(exc: LauncherError) -> None:
    from launcher import ui

    hint_key = exc.key + ".hint"
    hint = msg.t(hint_key, **exc.params) if msg.has(hint_key) else None
    ui.error_block(msg.t("error.line", message=msg.t(exc.key, **exc.params)), hint, exc.details)


def _prepare_streams() -> None:
    # A Chinese Windows console is cp936: never crash on a character it lacks.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")  # type: ignore[attr-defined]
        except (AttributeError, ValueError):
            pass


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return the exit code (tests call this directly)."""
    global _debug
    argv = list(sys.argv[1:] if argv is None else argv)
    _debug = "--debug" in argv
    msg.set_language(None)  # decided again per run: --lang, then settings, then the locale
    _prepare_streams()
    command = typer.main.get_command(app)
    if not argv:
        from launcher.windows.firstrun import menu_wanted

        if menu_wanted():
            # A person at a terminal (a double-clicked exe): the numbered menu.
            from launcher.cli.menu import run_menu

            _saved_language()
            return run_menu()
        # No arguments and no terminal: help, exit 0 (scripts calling us bare must not see a failure).
        with click.Context(command, info_name="sovits-launch") as ctx:
            click.echo(command.get_help(ctx))
        return 0
    try:
        result = command.main(args=argv, prog_name="sovits-launch", standalone_mode=False)
        return result if isinstance(result, int) else 0
    except LauncherError as exc:
        if _debug:
            import traceback

            traceback.print_exc()
        show_error(exc)
        return exc.exit_code
    except typer.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except (KeyboardInterrupt, typer.Abort):
        from launcher import ui

        ui.err().print(msg.t("error.interrupted"), style="yellow")
        return EXIT_INTERRUPTED
    except Exception as exc:  # the last resort: one line, details on --debug
        if _debug:
            raise
        from launcher import ui

        ui.error_block(
            msg.t("error.line", message=msg.t("error.unexpected", error=f"{type(exc).__name__}: {exc}")),
            msg.t("error.unexpected.hint"),
        )
        return EXIT_FAILED


def main() -> None:
    if getattr(sys, "frozen", False) and len(sys.argv) > 1 and sys.argv[1].endswith(".py") and os.path.isfile(sys.argv[1]):
        # A one-file exe has no python.exe beside it: `demo` runs its stand-in
        # server scripts through the exe itself (`sovits-launch.exe api_v2.py ...`).
        import runpy

        sys.argv = sys.argv[1:]
        runpy.run_path(sys.argv[0], run_name="__main__")
        return
    argv = sys.argv[1:]
    dropped = len(argv) == 1 and not argv[0].startswith("-") and _implied_verb(argv[0]) == "import"
    code = run(argv)
    if dropped:
        pause_if_own_console()
    sys.exit(code)


def pause_if_own_console() -> None:
    """A pack dropped onto sovits-launch.exe runs in a console window of its own,
    which closes when we exit: keep it open until the result has been read."""
    from launcher.windows.firstrun import owns_console

    if owns_console():
        try:
            input(msg.t("menu.pause_close"))
        except (EOFError, KeyboardInterrupt):
            pass


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").lower() in ("1", "true", "yes")
