"""The numbered menu a double-clicked `sovits-launch.exe` opens.

Each action runs the very code of its verb (`app.run([...])`: the same output,
errors and exit codes). A failure is followed by a pause, so a window that
will close never takes the message with it. A profile started from here runs
in the foreground, as in its .bat; Ctrl+C stops the server (run() already
stops it and its children) and comes back to the menu.

Input: a profile number (full-width digits too), an action letter or word,
or a path dragged onto the window (quoted when it holds a space). End of input
leaves with exit code 0; Ctrl+C at the menu leaves with 130.
"""

from __future__ import annotations

from typing import Callable, Optional

from launcher.windows import firstrun
from launcher.cli.app import show_error, t
from launcher.cli import common
from launcher.errors import EXIT_FAILED, EXIT_INTERRUPTED, LauncherError

Reader = Callable[[str], str]


class _EndOfInput(Exception):
    """stdin is closed (a pipe ran dry, Ctrl+Z/Ctrl+D): leave quietly."""


def run_menu(read: Optional[Reader] = None) -> int:
    return Menu(read or input).loop()


class Menu:
    def __init__(self, read: Reader):
        self._read = read
        self._offered: set = set()  # folders the user already said yes or no to

    # --- the loop -----------------------------------------------------------------

    def loop(self) -> int:
        from launcher import ui

        try:
            self._banner()
            choices: list = []
            redraw = True
            while True:
                if redraw:
                    self._offer_setup()
                    choices = firstrun.profile_choices(common.home(), common.settings())
                    self._show(choices)
                choice = firstrun.parse_choice(self._ask(t("menu.prompt")), len(choices))
                if choice.kind == "action" and choice.value == "quit":
                    return 0
                redraw = self._do(choice, choices)
        except _EndOfInput:
            ui.line()  # end the prompt's line
            return 0
        except KeyboardInterrupt:
            ui.line()
            ui.err().print(t("error.interrupted"), style="yellow", markup=False)
            return EXIT_INTERRUPTED
        except LauncherError as exc:  # e.g. a broken settings.yaml: nothing here can work
            show_error(exc)
            self._pause("menu.pause_close")
            return exc.exit_code
        except Exception as exc:  # the last resort, as in app.run: one line, then the pause
            ui.error_block(
                t("error.line", message=t("error.unexpected", error=f"{type(exc).__name__}: {exc}")),
                t("error.unexpected.hint"),
            )
            self._pause("menu.pause_close")
            return EXIT_FAILED

    def _do(self, choice: firstrun.Choice, choices: list) -> bool:
        """Carry out one choice; False when nothing ran (ask again without redrawing)."""
        if choice.kind == "empty":
            return False
        if choice.kind == "invalid":
            _say(t("menu.invalid", choice=choice.value))
            return False
        if choice.kind == "not_found":
            _say(t("menu.not_found", path=choice.value))
            return False
        if choice.kind == "profile":
            self._start(choices[choice.value - 1])
        elif choice.kind == "path":
            self._dropped(choice.value)
        elif choice.value == "bat":
            self._verb(["bat", "--all"])
        elif choice.value == "import":
            path = self._ask_path("menu.import_prompt")
            if path:
                self._verb(["import", path])
        elif choice.value == "setup":
            self._setup()
        elif choice.value == "doctor":
            if self._verb(["doctor"]) == 0:
                self._pause("menu.pause_back")  # the report is the point: let it be read
        elif choice.value == "status":
            if self._verb(["status"]) == 0:
                self._pause("menu.pause_back")
        elif choice.value == "stop":
            self._stop()
        elif choice.value == "say":
            self._say_test_sentence(choices)
        elif choice.value == "xiaozhi":
            self._write_xiaozhi(choices)
        return True

    # --- actions --------------------------------------------------------------------

    def _verb(self, argv: list) -> int:
        """Run a verb as the command line would; pause when it failed."""
        from launcher import ui
        from launcher.cli.app import run

        ui.line()
        code = run(argv)
        if code == EXIT_INTERRUPTED:  # the user pressed Ctrl+C: they know, no pause
            ui.line(t("menu.back"))
        elif code != 0:
            self._pause("menu.pause_back")
        return code

    def _start(self, choice) -> None:
        from launcher import ui

        if not self._served(choice.port):
            # Only a new server runs in this window: one already there is switched or kept.
            ui.line()
            ui.line(t("menu.start_hint"), style="bold")
        self._verb(["start", choice.name])

    @staticmethod
    def _served(port) -> bool:
        from launcher.server.registry import Registry

        return port is not None and bool(Registry(common.home().registry_file).find(port=port))

    def _stop(self) -> None:
        """One server running: stop it; several: which one (or all); none: say so."""
        from launcher.server.inventory import server_rows

        servers = server_rows(common.home())
        if not servers:
            _say(t("menu.no_server"))
            return
        if len(servers) == 1:
            self._verb(["stop", "--port", str(servers[0].port)])
            return
        from launcher import ui

        ui.line()
        for number, s in enumerate(servers, start=1):
            ui.line(f"  {number}  {common.label(s.profile, s.display_name)}  {s.host}:{s.port}")
        picked = self._ask_number(t("menu.stop_which", count=len(servers)), len(servers), allow_all=True)
        if picked == "all":
            self._verb(["stop", "--all"])
        elif picked is not None:
            self._verb(["stop", "--port", str(servers[picked - 1].port)])

    def _say_test_sentence(self, choices: list) -> None:
        """The running character says a test sentence, played here (as `say --play`)."""
        choice = self._running_profile(choices)
        if choice is not None:
            self._verb(["say", choice.name, t("menu.say_text", name=choice.title), "--play"])

    def _write_xiaozhi(self, choices: list) -> None:
        """Point xiaozhi-server at a profile; asks for its folder the first time."""
        if not common.settings().xiaozhi_dir:
            path = self._ask_path("menu.xiaozhi_dir_prompt")
            if not path or self._verb(["xiaozhi", "set-dir", path]) != 0:
                return
        choice = self._running_profile(choices, running_only=False)
        if choice is not None:
            self._verb(["xiaozhi", choice.name])

    def _running_profile(self, choices: list, running_only: bool = True):
        """The profile an action is for: the one running, else the one the user picks."""
        running = [c for c in choices if c.state == "running"]
        if len(running) == 1:
            return running[0]
        if running_only and not running:
            _say(t("menu.no_server"))
            return None
        picked = self._ask_number(t("menu.which_profile"), len(choices))
        return choices[picked - 1] if isinstance(picked, int) else None

    def _ask_number(self, prompt: str, count: int, allow_all: bool = False):
        """A number from 1 to `count` (or "all"); empty goes back (None)."""
        while True:
            text = firstrun.typed_word(self._ask(prompt))
            if not text:
                return None
            if allow_all and text in ("a", "all", "全部"):
                return "all"
            if text.isdigit() and 1 <= int(text) <= count:
                return int(text)
            _say(t("menu.invalid", choice=text))

    def _dropped(self, path: str) -> None:
        kind = firstrun.classify_path(path)
        if kind == "package":
            self._verb(["init", path])
        elif kind == "pack":
            self._verb(["import", path])
        elif path.lower().endswith(".wav"):
            self._reference(path)
        else:
            _say(t("menu.not_usable", path=path))

    def _reference(self, wav: str) -> None:
        """A WAV dropped onto the window becomes a profile's reference (`ref`)."""
        choices = firstrun.profile_choices(common.home(), common.settings())
        if not choices:
            _say(t("ref.menu_no_profiles"))
            return
        answer = self._ask(t("ref.menu_pick")).strip()
        if not answer:
            return
        choice = firstrun.parse_choice(answer, len(choices))
        name = choices[choice.value - 1].name if choice.kind == "profile" else answer
        if self._verb(["ref", name, wav]) == 0:
            self._pause("menu.pause_back")  # which text was taken is worth reading

    def _setup(self) -> None:
        offer = firstrun.setup_offer(common.settings())
        if offer is not None:
            path = self._ask_path("menu.setup_prompt_default", default=str(offer))
        else:
            path = self._ask_path("menu.setup_prompt")
        if path:
            self._verb(["init", path])

    def _offer_setup(self) -> None:
        """Once per folder and session: this is a package that is not set up yet."""
        from launcher import ui

        settings = common.settings()
        folder = firstrun.setup_offer(settings)
        if folder is None or folder in self._offered:
            return
        self._offered.add(folder)
        ui.line()
        ui.line(t("menu.offer", path=str(folder)), style="bold")
        if settings.gsv_root:
            ui.line(t("menu.offer_other", root=settings.gsv_root))
        while True:
            answer = firstrun.parse_yes_no(self._ask(t("menu.offer_question")), default=True)
            if answer is not None:
                break
            _say(t("menu.yes_no_again"))
        if answer:
            self._verb(["init", str(folder)])

    # --- rendering and reading --------------------------------------------------------

    def _banner(self) -> None:
        from launcher import __version__, ui

        ui.line(t("menu.title", version=__version__), style="bold")
        ui.line(t("menu.cli_hint"), style="dim")

    def _show(self, choices: list) -> None:
        from rich.markup import escape
        from rich.table import Table

        from launcher import ui
        from launcher.cli.listing import script_name

        settings = common.settings()
        ui.line()
        ui.line(t("menu.root", root=settings.gsv_root) if settings.gsv_root else t("menu.no_root"))
        if choices:
            ui.line(t("menu.profiles"), style="bold")
            table = Table(show_header=False, show_edge=False, box=None, pad_edge=False, padding=(0, 2))
            for c in choices:
                title = common.label(c.name, c.title)
                port = f":{c.port}" if c.port else ""
                style = "green" if c.state in ("ready", "running") else "yellow"
                api = script_name(c.api)  # api_v2.py, as `list` says it
                table.add_row(f"  {c.number}", escape(title), escape(api), port, f"[{style}]{escape(_state(c))}[/]")
            ui.out().print(table)
        else:
            ui.line(t("menu.no_profiles"), style="yellow")
        ui.line(t("menu.actions"), style="bold")
        for letter, action in firstrun.ACTIONS.items():
            ui.line(f"  {letter}  {t('menu.action.' + action)}")

    def _ask(self, prompt: str) -> str:
        import sys

        try:
            sys.stdout.flush()
            return self._read(prompt)
        except EOFError:
            raise _EndOfInput() from None

    def _ask_path(self, key: str, default: Optional[str] = None) -> Optional[str]:
        """A path typed or dragged in; empty takes `default` (or goes back); asks again if missing."""
        while True:
            text = firstrun.unquote(self._ask(t(key, path=default) if default else t(key)))
            if not text:
                return default
            if firstrun.classify_path(text) is not None or firstrun.path_exists(text):
                return text
            _say(t("menu.not_found", path=text))

    def _pause(self, key: str) -> None:
        try:
            self._ask(t(key))
        except _EndOfInput:
            pass


def _say(text: str) -> None:
    """A reply to what was typed: on stdout, in order with the prompts."""
    from launcher import ui

    ui.line(text, style="yellow")


def _state(c) -> str:
    if c.state == "running":
        return t("menu.state.running", ports=", ".join(f":{p}" for p in c.running_ports))
    if c.state == "missing":
        return t("menu.state.missing", files=t("menu.sep").join(t("menu.file." + f) for f in c.missing))
    if c.state == "bad_reference":
        from launcher.audio import seconds_text

        shown = seconds_text(c.ref_seconds, 1, in_range=False) if c.ref_seconds is not None else "?"
        return t("menu.state.bad_reference", seconds=shown)
    if c.state == "broken":
        error = t(c.error["key"], **c.error["params"]) if c.error else ""
        return t("menu.state.broken", error=error)
    return t("menu.state." + c.state)
