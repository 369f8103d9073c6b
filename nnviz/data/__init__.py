"""Digits in, Dataset out: the file formats nnviz reads, and full MNIST on demand."""

from nnviz.data.dataset import DataError, Dataset
from nnviz.data.download import (
    MIRRORS,
    MNIST_FILES,
    Cancellation,
    DownloadCancelled,
    DownloadError,
    Progress,
    download_mnist,
    is_downloaded,
    mnist_dir,
)
from nnviz.data.sources import DOWNLOADED, EMBEDDED, input_files, load_dataset

__all__ = [
    "DOWNLOADED",
    "EMBEDDED",
    "MIRRORS",
    "MNIST_FILES",
    "Cancellation",
    "DataError",
    "Dataset",
    "DownloadCancelled",
    "DownloadError",
    "Progress",
    "download_mnist",
    "input_files",
    "is_downloaded",
    "load_dataset",
    "mnist_dir",
]
