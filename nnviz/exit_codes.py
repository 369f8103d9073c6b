"""How `nnviz` ends, for scripts: the codes every command shares."""

from __future__ import annotations

import signal

EXIT_OK = 0
EXIT_USAGE = 2  # bad usage or bad data: one line on stderr, nothing written
EXIT_DIVERGED = 3  # the run stopped itself: diverged, or a dead network (the last good state is kept)


def exit_interrupted(signum: int = signal.SIGINT) -> int:
    """Stopped by a signal (Ctrl-C, SIGTERM, SIGHUP): 128 + its number, as a shell reports it."""
    return 128 + signum
