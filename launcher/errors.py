"""The one error family of the launcher.

Core modules raise `LauncherError(key, **params)`; only `cli` turns one into
text (through `messages`, which has `<key>` and optionally `<key>.hint`) and an
exit code. Nothing below `cli` prints.
"""

from __future__ import annotations

from typing import Any

# Exit codes, one per kind of failure, so scripts can tell them apart.
EXIT_OK = 0
EXIT_FAILED = 1  # generic / unexpected
EXIT_BAD_INPUT = 2  # a profile, setting, argument or config file is wrong
EXIT_MISSING_FILE = 3  # a file or folder the user named does not exist
EXIT_PORT_BUSY = 4  # the port is taken before we start
EXIT_SERVER_FAILED = 5  # the server exited or reported a known failure while loading
EXIT_TIMEOUT = 6  # the server did not become ready in time
EXIT_NOT_RUNNING = 7  # the verb needs a running server and there is none
EXIT_NOT_OURS = 8  # refused: the process is not one the launcher can prove is a GPT-SoVITS server
EXIT_INTERRUPTED = 130  # Ctrl+C, as shells report it


class LauncherError(Exception):
    """A failure the user can act on.

    `key` names the message in the catalog; `params` fill it in. `exit_code`
    tells scripts what kind of failure it was. `details` carries extra lines
    (e.g. a log tail) that the CLI shows under the message.
    """

    exit_code = EXIT_FAILED

    def __init__(
        self,
        key: str,
        *,
        exit_code: int | None = None,
        details: list[str] | None = None,
        **params: Any,
    ) -> None:
        self.key = key
        self.params = params
        self.details = list(details or [])
        if exit_code is not None:
            self.exit_code = exit_code
        super().__init__(f"{key} {params}")


class BadInput(LauncherError):
    exit_code = EXIT_BAD_INPUT


class MissingFile(LauncherError):
    exit_code = EXIT_MISSING_FILE


class PortBusy(LauncherError):
    exit_code = EXIT_PORT_BUSY


class ServerFailed(LauncherError):
    exit_code = EXIT_SERVER_FAILED


class ReadyTimeout(LauncherError):
    exit_code = EXIT_TIMEOUT


class NotRunning(LauncherError):
    exit_code = EXIT_NOT_RUNNING


class NotOurs(LauncherError):
    """A process the launcher will not end, or send /control to: not provably a GPT-SoVITS server."""

    exit_code = EXIT_NOT_OURS


class Interrupted(LauncherError):
    """Ctrl+C (or a closed window) ended a start; the params say what was stopped."""

    exit_code = EXIT_INTERRUPTED


class Notice:
    """A keyed warning the core returns (not raises): the CLI shows it and goes on."""

    def __init__(self, key: str, **params: Any) -> None:
        self.key = key
        self.params = params

    def __repr__(self) -> str:
        return f"Notice({self.key!r}, {self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Notice) and (self.key, self.params) == (other.key, other.params)
