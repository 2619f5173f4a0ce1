"""A YAML file as lines: the original text kept wherever an edit allows.

ruamel.yaml dumps the whole edited tree; `splice` takes from that dump only
the lines of the entries that changed and keeps every other line verbatim
(ruamel may reword a neighbour: `True` -> `true`, a float's last digit);
`restore_endings` puts each kept line's own ending (CRLF or LF) back.
"""

from __future__ import annotations

import difflib
import re

_LINE = re.compile(r"[^\n]*\n|[^\n]+$")


def split_lines(text: str) -> list:
    """The lines of `text`, each with its own ending (the last may have none)."""
    return _LINE.findall(text)


def strip_eol(line: str) -> str:
    if line.endswith("\r\n"):
        return line[:-2]
    if line.endswith("\n"):
        return line[:-1]
    return line


def splice(old_text: str, new_text: str, owned: set) -> str:
    """Old lines everywhere except where the diff touches an owned line of the new text."""
    old = split_lines(old_text)
    new = split_lines(new_text)
    out: list = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.extend(old[i1:i2])
        elif tag == "delete":
            out.extend([] if (j1 - 1) in owned else old[i1:i2])
        elif not owned.intersection(range(j1, j2)):
            out.extend(old[i1:i2])
        else:
            out.extend(_splice_hunk(old[i1:i2], new[j1:j2], {j - j1 for j in owned if j1 <= j < j2}))
    for i, line in enumerate(out[:-1]):  # a kept last line without "\n" may now be inside
        if not line.endswith("\n"):
            out[i] = line + "\n"
    return "".join(out)


def _splice_hunk(old: list, new: list, owned: set) -> list:
    """A changed stretch that holds owned lines: pair lines by their key, keep old unowned ones.

    ruamel may also reword a neighbouring line (`True` -> `true`, a float's last
    digit); lines are paired by indentation and key, and an unowned pair keeps
    the old text.
    """
    out: list = []
    matcher = difflib.SequenceMatcher(None, [_signature(x) for x in old], [_signature(x) for x in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.extend(new[j] if j in owned else old[i] for i, j in zip(range(i1, i2), range(j1, j2)))
        elif tag == "delete":
            out.extend([] if (j1 - 1) in owned else old[i1:i2])
        elif not owned.intersection(range(j1, j2)):
            out.extend(old[i1:i2])
        else:
            # Unowned lines at either end pair with old lines in order; the owned middle is new.
            head = next(k for k in range(j1, j2) if k in owned) - j1
            tail = j2 - 1 - max(k for k in range(j1, j2) if k in owned)
            head = min(head, i2 - i1)
            tail = min(tail, i2 - i1 - head)
            out.extend(old[i1 : i1 + head])
            out.extend(new[j1 + head : j2 - tail])
            out.extend(old[i2 - tail : i2])
    return out


def _signature(line: str) -> str:
    """Indentation + key, or + `-` for a list item: what a re-dump keeps of a line."""
    match = re.match(r"""^(\s*(?:- )*)((?:"[^"]*"|'[^']*'|[^\s#'"][^#:]*?)\s*:)(?:\s|$)""", line)
    if match:
        return match.group(1) + match.group(2)
    item = re.match(r"^(\s*(?:- )+)[^#\s]", line)
    return item.group(1) if item else line.rstrip()


def restore_endings(text: str, raw_lines: list, newline: str) -> str:
    """`text` (LF only) with each line that was in `raw_lines` back in its own form; new lines end in `newline`."""
    originals = {}
    for raw in raw_lines:
        originals.setdefault(strip_eol(raw) + ("\n" if raw.endswith("\n") else ""), raw)
    out = []
    for line in split_lines(text):
        if line in originals:
            out.append(originals[line])
        elif line.endswith("\n"):
            out.append(line[:-1] + newline)
        else:
            out.append(line)
    return "".join(out)
