"""Shared fixtures. Tests run headless: Qt draws offscreen (set before any test module imports Qt)."""

import os

# Two test processes (pytest-xdist) on two cores: one BLAS thread each, not two that spin against
# the other process's (set before numpy is imported). The window's BLAS handling is tested as is.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from nnviz.engine.trainer import Examples

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from nnviz.ui.look import configure_drawing

configure_drawing()  # as the app does before its first window: Qt reads some of it at the first paint

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
STALL_SECONDS = 30  # far longer than any client timeout in the tests; the fixture releases it at the end


@pytest.fixture(scope="session")
def digits():
    """The embedded digits as a Dataset, loaded once."""
    from nnviz.data import EMBEDDED, load_dataset

    return load_dataset(EMBEDDED)


@pytest.fixture
def settings(tmp_path):
    """A QSettings of the test's own, so no test reads or writes the user's."""
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "nnviz.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, digits, settings):
    """The real window on the embedded digits, opened and fully drawn, closed afterwards."""
    from nnviz.session import Setup
    from nnviz.ui.window import MainWindow

    w = MainWindow(Setup(), digits, settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.state is not None, timeout=30_000)  # the first run, built in its thread
    yield w
    w.close()


@pytest.fixture(scope="session")
def embedded_examples():
    """The embedded digits as (train 4,000, dev 1,000) Examples, split as the app splits them."""
    with np.load(RESOURCES / "mnist_5k.npz") as npz:
        X, y = npz["X"], npz["y"]
    order = np.random.default_rng(0).permutation(len(y))
    return (
        Examples.from_pixels(X[order[1000:]], y[order[1000:]]),
        Examples.from_pixels(X[order[:1000]], y[order[:1000]]),
    )


@dataclass
class Mirrors:
    """One local server holding several mirrors, one per folder, and a log of what was asked."""

    root: Path
    base: str
    requests: list[str] = field(default_factory=list)

    def url(self, mirror: str) -> str:
        return f"{self.base}/{mirror}/"

    def publish(self, mirror: str, files: dict[str, bytes]) -> str:
        folder = self.root / mirror
        folder.mkdir(exist_ok=True)
        for name, data in files.items():
            (folder / name).write_bytes(data)
        return self.url(mirror)


@pytest.fixture
def mirrors(tmp_path):
    """Serves tmp_path/www. A request under /stall/ gets no answer until the test is over; one
    under /half/ gets its headers and the first half of its file, then nothing more."""
    root = tmp_path / "www"
    root.mkdir()
    release = threading.Event()
    served = Mirrors(root, "")

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(root), **kwargs)

        def do_GET(self):
            served.requests.append(self.path)
            if self.path.startswith("/stall/"):
                release.wait(STALL_SECONDS)
                return
            if self.path.startswith("/half/"):
                data = (root / self.path.lstrip("/")).read_bytes()
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data[: len(data) // 2])
                self.wfile.flush()
                release.wait(STALL_SECONDS)
                return
            super().do_GET()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    served.base = f"http://127.0.0.1:{server.server_port}"
    yield served
    release.set()
    server.shutdown()
    server.server_close()
    thread.join()
