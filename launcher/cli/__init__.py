"""The command line: thin verbs over the core. `main` is the console entry point."""

from launcher.cli.app import app, main, run

# Importing a verb module registers its commands on `app`.
from launcher.cli import init_cmd, listing, start, stop, logs, demo, bat  # noqa: E402,F401
from launcher.cli import patch_config, xiaozhi_cmd, import_cmd, doctor_cmd  # noqa: E402,F401
from launcher.cli import ref_cmd  # noqa: E402,F401

__all__ = ["app", "main", "run"]
