"""Locate, fetch and validate CIFAR-10 (placeholder: the full data flow is being written)."""

import os
import pickle
from pathlib import Path

import numpy as np

DATASET_DIRNAME = "cifar-10-batches-py"
REPO_DATASETS = Path(__file__).resolve().parent.parent / "datasets"


def read_batch(path):
    """Read one CIFAR-10 batch file.

    Returns (data, labels): data is (N, 3072) uint8 (R plane, G plane, B plane, each 32x32 row-major),
    labels is (N,) int64.
    """
    with open(path, "rb") as f:
        batch = pickle.load(f, encoding="latin1")
    return np.asarray(batch["data"], dtype=np.uint8), np.asarray(batch["labels"], dtype=np.int64)


def cifar10_dir():
    """Return the Path of a cifar-10-batches-py folder, or raise FileNotFoundError saying how to get one."""
    candidates = []
    if os.environ.get("CS231N_DATASETS"):
        candidates.append(Path(os.environ["CS231N_DATASETS"]) / DATASET_DIRNAME)
    candidates.append(REPO_DATASETS / DATASET_DIRNAME)
    for c in candidates:
        if (c / "data_batch_1").exists():
            return c
    raise FileNotFoundError("CIFAR-10 not found; run `make data` (or `python -m cs231n.datasets`).")
