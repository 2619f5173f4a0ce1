"""Which GPT-SoVITS release the stand-in servers behave as.

The package builder writes `standin_release.json` into the package root: the release the
package imitates and, for every release the stand-ins know, the facts they act on (which
model versions each server loads, the SoVITS heads its loader knows, how the yaml names the
version, the rate of the silence it answers errors with, and the answer-without-audio
behaviours listed in `quirks`). The environment variable STANDIN_RELEASE picks another
release of that table for one run; the request fields stay those declared in the package's
api.py / api_v2.py. Without the file the stand-ins behave as upstream's main branch.
"""

from __future__ import annotations

import json
import os

FILE = "standin_release.json"
ALL_VERSIONS = ["v1", "v2", "v3", "v4", "v2Pro", "v2ProPlus"]
_MAIN = {
    "name": "main",
    "api_v1_versions": ALL_VERSIONS,
    "api_v2_versions": ALL_VERSIONS,
    "heads": ["00", "01", "02", "03", "04", "05", "06"],
    "yaml_version": "custom",
    "yaml_top_versions": ALL_VERSIONS,
    "silence_rate": 16000,
    "quirks": ["vocoder_switch_breaks", "if_sr_mislabel", "streaming_int"],
}
_loaded: dict | None = None


def facts() -> dict:
    """The facts of the release this run behaves as (read once)."""
    global _loaded
    if _loaded is None:
        _loaded = _read()
    return _loaded


def _read() -> dict:
    try:
        with open(os.path.join(os.getcwd(), FILE), encoding="utf-8") as fh:
            table = json.load(fh)
    except (OSError, ValueError):
        table = {"release": "main", "releases": {"main": _MAIN}}
    name = os.environ.get("STANDIN_RELEASE") or table.get("release", "main")
    releases = table.get("releases", {})
    if name not in releases:
        raise SystemExit(f"STANDIN_RELEASE={name!r}: not one of {', '.join(releases)}")
    return releases[name]


def name() -> str:
    return facts()["name"]


def quirk(what: str) -> bool:
    """Whether this release has one of the behaviours named in launcher/demo/releases.py."""
    return what in facts()["quirks"]


def loads(api: str, version: str) -> bool:
    """Whether this release's api.py ("v1") / api_v2.py ("v2") loads and speaks a model version."""
    return version in facts()["api_v1_versions" if api == "v1" else "api_v2_versions"]
