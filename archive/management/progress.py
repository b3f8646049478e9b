"""A progress bar for the lifecycle commands, on stderr when it is a terminal, quiet otherwise."""

from __future__ import annotations

import sys


def progress_bar(label: str):
    """A ``progress(done, total)`` callback drawing ``label [#####.....] 5/10``."""
    interactive = sys.stderr.isatty()

    def show(done: int, total: int) -> None:
        if not interactive or total <= 0:
            return
        width = 30
        filled = width * done // total
        sys.stderr.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show
