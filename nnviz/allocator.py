"""Keep freed memory in the process, so each iteration's temporaries do not page-fault afresh.

glibc hands every array over 128 KiB to the OS with mmap and takes it back on free: a full-batch
iteration allocates a dozen (h, m) and (10, m) arrays and so pays for thousands of fresh page
faults each time (~2 ms of ~35 at m = 41,000). Raising the threshold lets malloc reuse them.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
KEEP_BYTES = 512 * 2**20


def keep_freed_memory() -> bool:
    """Tune glibc's malloc (Linux only; elsewhere nothing happens). True if it took effect."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.mallopt(M_MMAP_THRESHOLD, KEEP_BYTES)) and bool(
            libc.mallopt(M_TRIM_THRESHOLD, KEEP_BYTES)
        )
    except (OSError, AttributeError):  # not glibc (musl has no mallopt)
        return False
