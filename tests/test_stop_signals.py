"""SIGTERM and SIGHUP stop `nnviz` as Ctrl-C does: a run saves and says so, a download leaves no
part file, and the exit code is 128 + the signal. What a kill -9 leaves, the next write removes."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from nnviz.engine.checkpoint import load_checkpoint, save_checkpoint
from nnviz.engine.trainer import Examples, TrainConfig, Trainer
from nnviz.files import write_atomically

DEADLINE = 60


def nnviz(*args: object, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "nnviz", *map(str, args)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})},
    )  # fmt: skip


def test_sigterm_and_sighup_during_a_run_save_say_so_and_exit_128_plus_n(tmp_path):
    runs = {}
    for signum in (signal.SIGTERM, signal.SIGHUP):
        save = tmp_path / f"{signum.name}.npz"
        runs[signum] = (nnviz("train", "--iterations", "1000000", "--batch-size", "64", "--save", save), save)
    for signum, (process, _) in runs.items():
        assert process.stdout.readline().startswith("iteration")  # training has begun
        process.send_signal(signum)
    for signum, (process, save) in runs.items():
        _, err = process.communicate(timeout=DEADLINE)
        last = err.strip().splitlines()[-1]
        assert process.returncode == 128 + signum
        assert (
            last.startswith("nnviz: interrupted after iteration") and f"({signum.name}); saved {save}" in last
        )
        done = int(last.split("iteration ")[1].split()[0])
        assert load_checkpoint(save).iteration == done > 0


class Drip(BaseHTTPRequestHandler):
    """Sends headers and a first byte, then nothing until the test ends."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "9912422")
        self.end_headers()
        self.wfile.write(b"\x1f")
        self.wfile.flush()
        self.server.closing.wait(DEADLINE)

    def log_message(self, *args: object) -> None:
        pass


def test_sigterm_during_a_download_leaves_no_part_file(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Drip)
    server.daemon_threads, server.closing = True, threading.Event()
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    dest = tmp_path / "mnist"
    try:
        process = nnviz(
            "data", "download", "mnist", "--mirror", f"http://127.0.0.1:{server.server_port}/",
            env={"NNVIZ_DATA_DIR": str(tmp_path)},
        )  # fmt: skip
        waited = time.monotonic()
        while not list(dest.glob("*.part")):  # the transfer is under way once its part file exists
            assert time.monotonic() - waited < DEADLINE and process.poll() is None
            time.sleep(0.01)
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=DEADLINE)
    finally:
        server.closing.set()
        server.shutdown()
        server.server_close()
    assert process.returncode == 128 + signal.SIGTERM
    assert err.strip().splitlines()[-1] == "nnviz: interrupted (SIGTERM)"
    assert os.listdir(dest) == []


IMPORT_INTERRUPTED = """
import sys

class CtrlCWhileImporting:
    def find_spec(self, name, path=None, target=None):
        if name == "numpy":
            raise KeyboardInterrupt
        return None

sys.meta_path.insert(0, CtrlCWhileImporting())
from nnviz.cli import main  # as the installed `nnviz` script does
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize(
    "command", [[], ["train"], ["data", "info", "mnist-5k"]], ids=["window", "train", "data"]
)
def test_ctrl_c_while_starting_up_is_one_line_not_a_traceback(command):
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_INTERRUPTED, *command],
        capture_output=True, text=True, timeout=DEADLINE, check=False,
    )  # fmt: skip
    assert done.returncode == 130
    assert done.stderr == "nnviz: interrupted\n"


def a_trainer() -> Trainer:
    rng = np.random.default_rng(0)
    return Trainer(
        Examples.from_pixels(rng.integers(0, 256, (20, 784), dtype=np.uint8), np.arange(20) % 10),
        None,
        TrainConfig(),
    )


def test_temp_files_of_a_killed_save_are_removed_by_the_next_save_but_a_live_ones_are_not(tmp_path):
    path = tmp_path / "run.npz"
    stale = [tmp_path / f".run.npz.{name}.part" for name in ("abcd1234", "kill_9_x")]
    for file in stale:
        file.write_bytes(b"half a checkpoint")
    live = tmp_path / ".run.npz.writing1.part"
    live.write_bytes(b"being written")
    others = [
        tmp_path / name
        for name in (".run.npz.notours.txt", ".other.npz.abcd1234.part", "run.npz.abcd1234.part")
    ]
    for file in others:
        file.write_bytes(b"not nnviz's temp file of run.npz")
    with live.open("rb") as writer:
        fcntl.flock(writer, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a save under way elsewhere holds it
        save_checkpoint(path, a_trainer(), {"source": "test"})
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["run.npz", live.name, *(p.name for p in others)]
    )


def test_a_failed_write_leaves_no_temp_file_and_the_old_file_intact(tmp_path):
    path = tmp_path / "metrics.csv"
    path.write_text("the previous metrics")

    def fail(file):
        file.write(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        write_atomically(path, fail)
    assert [p.name for p in tmp_path.iterdir()] == [
        "metrics.csv"
    ] and path.read_text() == "the previous metrics"
