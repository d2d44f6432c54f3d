"""Load CIFAR-10 batches into numpy arrays, and cut the splits every notebook uses.

Images come out as (N, 32, 32, 3) arrays, height x width x RGB, with pixel values 0..255; labels as (N,) int64
class indices into CLASSES.
"""

from pathlib import Path

import numpy as np

from cs231n import datasets

CLASSES = ("plane", "car", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
TRAIN_BATCHES = tuple(f"data_batch_{i}" for i in range(1, 6))
TEST_BATCH = "test_batch"


def _to_images(data, dtype):
    """(N, 3072) rows in channel-plane order -> (N, 32, 32, 3) images of the given dtype."""
    images = data.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    return images.astype(dtype, order="C") if dtype is not None else np.ascontiguousarray(images)


def load_CIFAR_batch(filename, dtype=np.float64):
    """Load one batch file.

    Inputs:
    - filename: path of a batch file such as ".../cifar-10-batches-py/data_batch_1".
    - dtype: dtype of the returned images (np.uint8 keeps the raw bytes, 8x smaller than float64).

    Returns (X, y): X is (10000, 32, 32, 3) of `dtype`, y is (10000,) int64 in 0..9.
    """
    data, labels = datasets.read_batch(filename)
    return _to_images(data, dtype), labels


def _load_raw(root):
    """All 60000 images as uint8 rows: returns (train_data (50000, 3072), train_labels, test_data, test_labels)."""
    root = Path(root) if root is not None else datasets.cifar10_dir()
    parts = [datasets.read_batch(root / name) for name in TRAIN_BATCHES]
    train_data = np.concatenate([data for data, _ in parts])
    train_labels = np.concatenate([labels for _, labels in parts])
    test_data, test_labels = datasets.read_batch(root / TEST_BATCH)
    return train_data, train_labels, test_data, test_labels


def load_CIFAR10(ROOT=None, dtype=np.float64):
    """Load the whole dataset.

    Inputs:
    - ROOT: the cifar-10-batches-py folder; None finds it with cs231n.datasets.cifar10_dir().
    - dtype: dtype of the images. float64 (the default, as in the assignment) needs 1.4 GB for all 60000
      images; np.float32 halves that and np.uint8 needs 180 MB.

    Returns (X_train, y_train, X_test, y_test): X_train (50000, 32, 32, 3), y_train (50000,) int64,
    X_test (10000, 32, 32, 3), y_test (10000,) int64.
    """
    train_data, train_labels, test_data, test_labels = _load_raw(ROOT)
    return _to_images(train_data, dtype), train_labels, _to_images(test_data, dtype), test_labels


def get_CIFAR10_data(root=None, num_training=49000, num_validation=1000, num_test=1000, num_dev=500,
                     seed=0, dtype=np.float64):
    """The split every notebook uses, as raw images (no mean subtraction, no flattening).

    - train: training rows 0 .. num_training-1
    - val:   the next num_validation training rows (49000 .. 49999 by default)
    - test:  the first num_test images of the test batch
    - dev:   num_dev images drawn without replacement from train with np.random.default_rng(seed), a small
             set for quick loss and gradient experiments

    Only the selected images are converted to `dtype`, so the float64 default peaks near 1.3 GB.

    Returns a dict with X_train (num_training, 32, 32, 3), y_train (num_training,), and likewise X_val/y_val,
    X_test/y_test, X_dev/y_dev.
    """
    if num_training + num_validation > 50000:
        raise ValueError(f"num_training + num_validation must be at most 50000, got "
                         f"{num_training} + {num_validation} = {num_training + num_validation}")
    if num_test > 10000:
        raise ValueError(f"num_test must be at most 10000, got {num_test}")
    if num_dev > num_training:
        raise ValueError(f"num_dev ({num_dev}) cannot exceed num_training ({num_training})")
    train_data, train_labels, test_data, test_labels = _load_raw(root)
    if len(train_data) < num_training + num_validation or len(test_data) < num_test:
        raise ValueError(f"the dataset holds {len(train_data)} training and {len(test_data)} test images, fewer than "
                         f"the {num_training} + {num_validation} training and {num_test} test images asked for")
    val_rows = slice(num_training, num_training + num_validation)
    dev_rows = np.sort(np.random.default_rng(seed).choice(num_training, num_dev, replace=False))
    return {
        "X_train": _to_images(train_data[:num_training], dtype), "y_train": train_labels[:num_training],
        "X_val": _to_images(train_data[val_rows], dtype), "y_val": train_labels[val_rows],
        "X_test": _to_images(test_data[:num_test], dtype), "y_test": test_labels[:num_test],
        "X_dev": _to_images(train_data[dev_rows], dtype), "y_dev": train_labels[dev_rows],
    }
