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
from launcher.cli import clickwords
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
    help="help.app",
)

_debug = False


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sovits-launch {__version__}")
        raise typer.Exit()


@app.callback()
def _global(
    lang: Optional[str] = typer.Option(None, "--lang", help="help.app.lang"),
    debug: bool = typer.Option(False, "--debug", help="help.app.debug"),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="help.app.version"),
) -> None:
    global _debug
    _debug = debug
    if lang:
        if msg.parse_language(lang) is None:
            from launcher.errors import BadInput

            raise BadInput("app.unknown_lang", lang=lang)
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
    _choose_language(argv)
    _prepare_streams()
    from launcher.cli.helptext import LocalizedContext, localize

    command = localize(typer.main.get_command(app), app)
    if not argv:
        from launcher.windows.firstrun import menu_wanted

        if menu_wanted():
            # A person at a terminal (a double-clicked exe): the numbered menu.
            from launcher.cli.menu import run_menu

            return run_menu()
        # No arguments and no terminal: help, exit 0 (scripts calling us bare must not see a failure).
        with LocalizedContext(command, info_name="sovits-launch") as ctx:
            click.echo(command.get_help(ctx))
        return 0
    as_json = _wants_json(argv)
    clickwords.install()
    try:
        result = command.main(args=argv, prog_name="sovits-launch", standalone_mode=False)
        return result if isinstance(result, int) else 0
    except LauncherError as exc:
        if _debug:
            import traceback

            traceback.print_exc()
        (show_error_json if as_json else show_error)(exc)
        return exc.exit_code
    except typer.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        hint = _global_option_hint(exc, argv)
        if as_json:
            _error_json("usage", clickwords.finish(exc.format_message()), hint, exc.exit_code)
        else:
            _show_usage_error(exc, hint)
        return exc.exit_code
    except (KeyboardInterrupt, typer.Abort):
        from launcher import ui

        if as_json:
            _error_json("error.interrupted", msg.t("error.interrupted"), None, EXIT_INTERRUPTED)
        else:
            ui.err().print(msg.t("error.interrupted"), style="yellow")
        return EXIT_INTERRUPTED
    except Exception as exc:  # the last resort: one line, details on --debug
        if _debug:
            raise
        from launcher import ui

        message = msg.t("error.unexpected", error=f"{type(exc).__name__}: {exc}")
        if as_json:
            _error_json("error.unexpected", message, msg.t("error.unexpected.hint"), EXIT_FAILED)
        else:
            ui.error_block(msg.t("error.line", message=message), msg.t("error.unexpected.hint"))
        return EXIT_FAILED


def _choose_language(argv: list[str]) -> None:
    """Before anything is parsed: `--lang en --help` is English help, though click
    answers --help before it looks at --lang."""
    msg.set_language(None)  # decided again per run: --lang, then settings, then the locale
    i = 0
    while i < len(argv) and argv[i].startswith("-") and argv[i] != "--":
        # Global options only, before the verb: `ref x.wav --lang ja` is the audio's language.
        value = argv[i + 1] if argv[i] == "--lang" and i + 1 < len(argv) else None
        if argv[i].startswith("--lang="):
            value = argv[i].split("=", 1)[1]
        if value is not None:
            if msg.parse_language(value) is not None:  # else: refused, in the default language
                msg.set_language(value)
                return
            break
        i += 1
    _saved_language()


def _wants_json(argv: list[str]) -> bool:
    return "--json" in (argv[: argv.index("--")] if "--" in argv else argv)


def show_error_json(exc: LauncherError) -> None:
    hint_key = exc.key + ".hint"
    hint = msg.t(hint_key, **exc.params) if msg.has(hint_key) else None
    _error_json(exc.key, msg.t(exc.key, **exc.params), hint, exc.exit_code, list(exc.details))


def _error_json(key: str, message: str, hint: str | None, code: int, details: list | None = None) -> None:
    """--json: a failure is JSON on stdout too, in the envelope every verb uses."""
    from launcher import ui

    error = {"key": key, "message": message, "hint": hint, "exit_code": code}
    if details:
        error["details"] = details
    ui.emit_json("error", None, error=error)


def _show_usage_error(exc: click.ClickException, hint: str | None = None) -> None:
    """click's usage errors with our words around them: usage line, where help is, the error."""
    from launcher import ui

    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        ui.err().print(ctx.get_usage(), markup=False, highlight=False)
        ui.err().print(msg.t("help.try", command=f"{ctx.command_path} -h"), markup=False)
    ui.error_block(msg.t("error.line", message=clickwords.finish(exc.format_message())), hint)


_GLOBAL_OPTIONS = {"--lang": 1, "--debug": 0}  # option -> how many values follow it


def _global_option_hint(exc: click.ClickException, argv: list[str]) -> str | None:
    """`list --lang en`: the option exists, before the verb; say so with the command fixed."""
    if not isinstance(exc, click.NoSuchOption):
        return None
    name = exc.option_name.split("=", 1)[0]
    if name not in _GLOBAL_OPTIONS:
        return None
    at = next((i for i, arg in enumerate(argv) if arg.split("=", 1)[0] == name), None)
    if at is None:
        return None
    taken = 1 if "=" in argv[at] else 1 + _GLOBAL_OPTIONS[name]
    moved = argv[at : at + taken] + argv[:at] + argv[at + taken :]
    example = " ".join(["sovits-launch", *(f'"{a}"' if " " in a else a for a in moved)])
    return msg.t("usage.global_option_first", option=name, example=example)


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
