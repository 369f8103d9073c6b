"""Training below the window: on Linux every thread has its own nice value.

Training runs in its own Python thread, but most of its work is done by BLAS's worker threads,
which BLAS started when numpy was imported, from the main thread: they run at the window's
priority unless they are lowered too. Lowered, they give way to the GUI thread the moment it
has a frame to draw, and take the cores back as soon as it is done (BENCHMARKS.md).
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from pathlib import Path

log = logging.getLogger(__name__)
TASKS = Path("/proc/self/task")


def lower_training_threads(levels: int) -> list[int]:
    """Put the calling thread and the process's unnamed threads (BLAS's) `levels` nice levels below
    the main thread; threads that have names of their own (Qt's) keep theirs. No privileges are
    needed to lower a priority; elsewhere than Linux, or if refused, nothing happens. Returns the
    threads lowered."""
    if levels <= 0 or not sys.platform.startswith("linux"):
        return []
    main, own = os.getpid(), threading.get_native_id()
    target = os.getpriority(os.PRIO_PROCESS, main) + levels
    unnamed = _name(TASKS / str(main))  # an unnamed thread carries the process's name
    lowered = []
    for task in TASKS.iterdir():
        thread = int(task.name)
        if thread == main or (thread != own and _name(task) != unnamed):
            continue
        try:
            if os.getpriority(os.PRIO_PROCESS, thread) < target:
                os.setpriority(os.PRIO_PROCESS, thread, target)
            lowered.append(thread)
        except OSError:  # gone meanwhile, or refused
            log.debug("could not lower thread %d", thread, exc_info=True)
    return lowered


def _name(task: Path) -> str:
    try:
        return (task / "comm").read_text().strip()
    except OSError:
        return ""
