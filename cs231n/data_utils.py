"""Load CIFAR-10 into numpy arrays, cut the splits every notebook uses, and turn images into rows.

Images come out as (N, 32, 32, 3) arrays, height x width x RGB, with pixel values 0..255; labels as (N,) int64
class indices into CLASSES (cs231n.cifar10). The files are found and read by cs231n.datasets.
"""

from pathlib import Path

import numpy as np

from cs231n import datasets
from cs231n import validation as check
from cs231n.cifar10 import CLASSES, NUM_TEST, NUM_TRAIN, TEST_BATCH, TRAIN_BATCHES

__all__ = ["CLASSES", "get_CIFAR10_data", "load_CIFAR10", "load_CIFAR_batch", "to_rows"]


def _pixel_dtype(dtype):
    """A dtype that holds every pixel value 0..255 exactly (int8 would wrap them around to -128..127)."""
    dtype = np.dtype(dtype)
    if not np.can_cast(np.uint8, dtype):
        raise ValueError(f"dtype must hold pixel values 0..255; got {dtype}. Use np.uint8 (raw bytes), np.float32 "
                         "or np.float64.")
    return dtype


def _to_images(data, dtype):
    """(N, 3072) rows in channel-plane order -> (N, 32, 32, 3) images of the given dtype."""
    return data.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1).astype(dtype, order="C")


def load_CIFAR_batch(filename, dtype=np.float64):
    """Load one batch file.

    Inputs:
    - filename: path of a batch file such as ".../cifar-10-batches-py/data_batch_1".
    - dtype: dtype of the returned images (np.uint8 keeps the raw bytes, 8x smaller than float64).

    Returns (X, y): X is (10000, 32, 32, 3) of `dtype`, y is (10000,) int64 in 0..9.
    """
    dtype = _pixel_dtype(dtype)
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
    dtype = _pixel_dtype(dtype)
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
    num_training = check.integer(num_training, "num_training", 0, NUM_TRAIN)
    num_validation = check.integer(num_validation, "num_validation", 0, NUM_TRAIN - num_training,
                                   fix=f"Training and validation images together come from the {NUM_TRAIN:,} "
                                       "training images.")
    num_test = check.integer(num_test, "num_test", 0, NUM_TEST)
    num_dev = check.integer(num_dev, "num_dev", 0, num_training, fix="The dev set is drawn from the training rows.")
    dtype = _pixel_dtype(dtype)
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


def to_rows(images, mean=None, bias=False, dtype=np.float32):
    """Images (or feature vectors) as the rows a classifier takes.

    Inputs:
    - images: (N, ...) array; each example is flattened into one row of D numbers ((N, 32, 32, 3) -> D = 3072).
    - mean: None, or a (D,) vector subtracted from every row (the mean training image, which centres the data).
    - bias: append a column of ones, so that the last row of a weight matrix acts as a bias (the "bias trick").
    - dtype: dtype of the rows; float32 halves memory and time against float64.

    Returns (N, D) rows, or (N, D + 1) with bias=True. Only the result is allocated: no float64 copy of the
    images is made on the way.
    """
    images = np.asarray(images)
    flat = images.reshape(len(images), -1)
    num_cols = flat.shape[1]
    if mean is not None:
        mean = np.asarray(mean)
        if mean.shape != (num_cols,):
            raise ValueError(f"mean must be a vector of {num_cols} values, one per column of the flattened images; "
                             f"got shape {mean.shape}. Compute it as to_rows(X_train, dtype=np.float64).mean(axis=0).")
    rows = np.empty((len(flat), num_cols + int(bias)), dtype=dtype)
    if mean is None:
        rows[:, :num_cols] = flat
    else:
        np.subtract(flat, mean, out=rows[:, :num_cols], casting="unsafe")
    if bias:
        rows[:, -1] = 1.0
    return rows
