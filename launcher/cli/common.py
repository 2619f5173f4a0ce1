"""Small lookups every verb needs: folders, settings, a profile by name."""

from __future__ import annotations

from typing import Optional

from launcher.errors import BadInput
from launcher.paths import Layout, Settings, layout, load_settings
from launcher.profiles.schema import Profile, find_profile


def home() -> Layout:
    return layout()


def settings() -> Settings:
    return load_settings()


def profile(name: str) -> Profile:
    return find_profile(name, layout().profiles)


def port_option(value: Optional[int]) -> Optional[int]:
    """`--port` of every verb: a port a server can listen on. 0 would let the system
    pick a port nobody knows; a click range would answer in English only."""
    if value is not None and not 1 <= value <= 65535:
        raise BadInput("start.bad_port", value=value)
    return value


def label(profile: str, display_name: str | None = None) -> str:
    """How a profile is named to the user everywhere (start, stop, status, list, menu):
    `纳西妲 (nahida)`, or only the id when it has no other display name."""
    if display_name and display_name != profile:
        return f"{display_name} ({profile})"
    return profile


def id_as_profile(data: dict) -> dict:
    """A JSON entry with the profile id under `profile`, as in every verb's --json."""
    data = dict(data)
    return {"profile": data.pop("name"), **data}


def dry_run_note() -> None:
    """The last line of every --dry-run: nothing shown above was written."""
    from launcher import ui
    from launcher.cli.app import t

    ui.line(t("dry_run.nothing_written"), style="yellow")


def fmt_seconds(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
