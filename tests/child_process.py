"""Run `nnviz` in child processes, several at once, and measure each one's peak memory.

Linux carries a process's peak memory across fork and exec, so a child of the test process (a
few hundred MB of Qt) would report at least that. Each command therefore runs under a tiny
launcher (a bare Python), which reaps it with os.wait4 and writes down that child's own peak
(resource.getrusage(RUSAGE_CHILDREN), per child). A command still running at the deadline is
killed with its launcher: nothing can hang a test.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

TESTS = Path(__file__).resolve().parent
LAUNCHER = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
with open(sys.argv[1], "w") as ended:
    ended.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss}")
"""


@dataclass(frozen=True)
class Ended:
    code: int  # the exit code, or -N if killed by signal N
    out: str
    err: str
    peak_mb: float  # the command's peak resident memory
    timed_out: bool


def nnviz_command(*args: object) -> list[str]:
    return [sys.executable, "-m", "nnviz", *map(str, args)]


def run_all(commands: list[list[str]], env: dict[str, str] | None = None, timeout: float = 60) -> list[Ended]:
    """Start every command at once; return how each ended, in order."""
    env = {**os.environ, **(env or {})}
    with tempfile.TemporaryDirectory() as scratch:
        started = []
        for number, command in enumerate(commands):
            out, err, ended = (Path(scratch) / f"{number}.{name}" for name in ("out", "err", "ended"))
            with out.open("w") as out_file, err.open("w") as err_file:
                launcher = subprocess.Popen(
                    [sys.executable, "-c", LAUNCHER, str(ended), *map(str, command)],
                    stdout=out_file, stderr=err_file, env=env, cwd=TESTS, start_new_session=True,
                )  # fmt: skip
            started.append((launcher, out, err, ended))
        deadline = time.monotonic() + timeout
        return [_reap(*one, deadline) for one in started]


def _reap(launcher: subprocess.Popen, out: Path, err: Path, ended: Path, deadline: float) -> Ended:
    try:
        launcher.wait(max(deadline - time.monotonic(), 0))
    except subprocess.TimeoutExpired:
        os.killpg(launcher.pid, signal.SIGKILL)
        launcher.wait()
        return Ended(-signal.SIGKILL, out.read_text(), err.read_text(), 0.0, timed_out=True)
    code, peak_kb = map(int, ended.read_text().split())
    return Ended(code, out.read_text(), err.read_text(), peak_kb / 1024, timed_out=False)
