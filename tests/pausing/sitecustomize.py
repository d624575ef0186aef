"""Pauses a command at a chosen step, for the tests that kill it there (kill -9).

Put this folder on PYTHONPATH and set ISECG_PAUSE to `record:N` (pause before the Nth record
written) or `history` (pause before the history is appended, once the changes are committed),
and ISECG_PAUSED to a file to create when paused. Nothing changes without ISECG_PAUSE.
"""

from __future__ import annotations

import os

_WHERE = os.environ.get("ISECG_PAUSE")


def _pause() -> None:
    import time
    from pathlib import Path

    Path(os.environ["ISECG_PAUSED"]).write_text(str(os.getpid()))
    time.sleep(3600)


if _WHERE:
    from isecg_archive.storage.archive import Archive
    from isecg_archive.storage.history import History

    if _WHERE.startswith("record:"):
        _wanted = int(_WHERE.split(":")[1])
        _written = 0
        _write = Archive.write_record

        def write_record(self, document):  # type: ignore[no-untyped-def]
            global _written
            _written += 1
            if _written == _wanted:
                _pause()
            _write(self, document)

        Archive.write_record = write_record  # type: ignore[method-assign]
    elif _WHERE == "history":
        _append = History.append_lines

        def append_lines(self, text):  # type: ignore[no-untyped-def]
            if text:
                _pause()
            _append(self, text)

        History.append_lines = append_lines  # type: ignore[method-assign]
