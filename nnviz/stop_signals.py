"""Ctrl-C, SIGTERM and SIGHUP all mean "stop": a command ends on any of them as it does on Ctrl-C.

Python turns only Ctrl-C (SIGINT) into an exception; TERM and HUP kill the process outright, so
nothing is saved and no `finally` runs (a download's partial file stays behind). Within these
blocks they behave like Ctrl-C instead, and the exit code says which one came (128 + its number).
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised where the program happened to be, as Ctrl-C raises KeyboardInterrupt."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def signal_of(interrupt: KeyboardInterrupt) -> int:
    """Which signal stopped us: a Stopped's own, else Ctrl-C's."""
    return getattr(interrupt, "signum", signal.SIGINT)


@contextmanager
def stop_signals_raise() -> Iterator[None]:
    """Within: SIGTERM and SIGHUP raise Stopped, so that every `finally` runs as on Ctrl-C."""

    def stop(signum: int, _frame: object) -> None:
        raise Stopped(signum)

    with _handling(STOP_SIGNALS[1:], stop):
        yield


@dataclass
class StopRequest:
    """The stop signal that came (None: none yet); checked by a loop between two of its steps."""

    signum: int | None = None

    def __bool__(self) -> bool:
        return self.signum is not None


@contextmanager
def stop_signals_request() -> Iterator[StopRequest]:
    """Within: Ctrl-C, SIGTERM and SIGHUP only record themselves in the StopRequest yielded."""
    request = StopRequest()

    def record(signum: int, _frame: object) -> None:
        request.signum = signum

    with _handling(STOP_SIGNALS, record):
        yield request


@contextmanager
def _handling(signums: tuple[int, ...], handler) -> Iterator[None]:
    previous = {signum: signal.signal(signum, handler) for signum in signums}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)
