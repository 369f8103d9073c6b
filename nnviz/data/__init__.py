"""Digits in, Dataset out: the file formats nnviz reads, and full MNIST on demand."""

from nnviz.data.dataset import DataError, Dataset
from nnviz.data.download import MIRRORS, MNIST_FILES, DownloadError, download_mnist, mnist_dir
from nnviz.data.sources import DOWNLOADED, EMBEDDED, load_dataset

__all__ = [
    "DOWNLOADED",
    "EMBEDDED",
    "MIRRORS",
    "MNIST_FILES",
    "DataError",
    "Dataset",
    "DownloadError",
    "download_mnist",
    "load_dataset",
    "mnist_dir",
]
