"""A server's output as the console shows it; the log file keeps every byte.

- a progress bar redrawn with carriage returns (tqdm) takes one line: its last state;
- the launcher's own requests to `GET /openapi.json` (the readiness probe, status
  checks) are not shown as access-log lines: they are the launcher talking, not a client;
- a switch of character made from another window is shown as "已切换到 芙宁娜".
"""

from __future__ import annotations

import re
from typing import Callable

from launcher.cli.app import t
from launcher.cli.common import label

# uvicorn's access-log line for the probe: `INFO:     127.0.0.1:51234 - "GET /openapi.json HTTP/1.1" 200 OK`
_PROBE_LINE = re.compile(r'"(GET|HEAD) /openapi\.json(\?[^ "]*)? HTTP/[0-9.]+" \d{3}')


class ConsoleLines:
    """An `on_line` handler for `wait_ready` / `follow` / `logs -f`; `current` is the
    character the server serves after a switch seen in its log (None before one)."""

    def __init__(self, show: Callable[[str], None] | None = None):
        from launcher import ui

        self._show = show or ui.raw
        self.current: str | None = None

    def __call__(self, line: str) -> None:
        from launcher import ui
        from launcher.server.switch import switched_to

        switched = switched_to(line)
        if switched is not None:
            self.current = label(*switched)
            ui.success(t("switch.shown", name=self.current))
            return
        if _PROBE_LINE.search(line):
            return
        self._show(ui.last_state(line))


def console_lines(show: Callable[[str], None] | None = None) -> ConsoleLines:
    return ConsoleLines(show)
