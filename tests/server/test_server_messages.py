"""Every message key the server room and its verbs name is in the catalog, in both languages.

tests/test_messages.py finds keys in calls of the known error classes; these modules
also choose keys in expressions (`"start.interrupted" if ... else ...`) and raise the
newer `NotOurs` / `Interrupted`: every string constant here that looks like one of
their keys must be a catalog key.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from launcher import messages

PACKAGE = Path(__file__).resolve().parents[2] / "launcher"
FILES = sorted((PACKAGE / "server").glob("*.py")) + [PACKAGE / "cli" / n for n in ("start.py", "stop.py", "listing.py")]
KEY = re.compile(r"^(start|stop|switch|registry|state|server|port)\.[a-z_]+(\.[a-z_]+)?$")


def test_every_key_named_in_the_server_room_is_in_the_catalog():
    named = set()
    for path in FILES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and KEY.match(node.value):
                named.add(node.value)
    assert {"stop.not_ours", "start.interrupted", "start.stopped_on_request", "registry.repaired"} <= named
    assert sorted(k for k in named if k not in messages.CATALOG) == []
    from launcher.server.registry import STATES

    for state in STATES:
        assert f"state.{state}" in messages.CATALOG
