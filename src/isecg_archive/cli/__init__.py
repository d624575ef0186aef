"""The command line: parse options, call the core, print for people, JSON or CSV.

`base` holds the root group and what the command groups share; each other module is a group of
commands, registered on the root when imported here.
"""

from __future__ import annotations

import signal

from isecg_archive.cli import (  # noqa: F401
    curating,
    events,
    exporting,
    ingesting,
    maintenance,
    searching,
    serving,
    vocabulary,
)
from isecg_archive.cli.base import cli

__all__ = ["cli", "main"]


def _interrupted(_signal: int, _frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    # SIGTERM (kill, a service manager, a closed session) stops a command as Ctrl-C does: what
    # it was writing is undone or committed whole, the lock freed, no traceback.
    signal.signal(signal.SIGTERM, _interrupted)
    cli(prog_name="isecg-archive")
