"""cs231n.data_utils on a synthetic cifar-10-batches-py folder (20 images per batch): layout, dtypes, splits."""

import inspect

import numpy as np
import pytest

from cs231n import data_utils, datasets
from tests.synthetic_cifar import BATCH_NAMES, py2_batch_pickle, synthetic_batches, write_folder


@pytest.fixture
def folder(tmp_path):
    """A synthetic folder; returns (path, train_data (100, 3072), train_labels, test_data (20, 3072), test_labels)."""
    batches = write_folder(tmp_path / "cifar-10-batches-py", synthetic_batches(seed=3))
    train = [batches[name] for name in BATCH_NAMES[:5]]
    train_data = np.concatenate([d for d, _ in train])
    train_labels = np.concatenate([labels for _, labels in train])
    return tmp_path / "cifar-10-batches-py", train_data, train_labels, *batches["test_batch"]


def planes_to_images(rows):
    """Independent reference: split each 3072-row into its R, G and B planes of 32x32 and stack them last."""
    planes = [rows[:, k * 1024:(k + 1) * 1024].reshape(-1, 32, 32) for k in range(3)]
    return np.stack(planes, axis=-1)


def test_channel_planes_become_height_width_rgb(tmp_path):
    # R encodes the row, G the column, B is constant: a swapped axis or channel changes what lands where.
    rows, cols = np.meshgrid(np.arange(32), np.arange(32), indexing="ij")
    image = np.concatenate([8 * rows.ravel(), 8 * cols.ravel() + 1, np.full(1024, 200)]).astype(np.uint8)
    (tmp_path / "b").write_bytes(py2_batch_pickle(image[None, :], [3]))
    X, y = data_utils.load_CIFAR_batch(tmp_path / "b")
    assert X.shape == (1, 32, 32, 3) and y.tolist() == [3]
    np.testing.assert_array_equal(X[0, :, :, 0], 8 * rows)
    np.testing.assert_array_equal(X[0, :, :, 1], 8 * cols + 1)
    np.testing.assert_array_equal(X[0, :, :, 2], np.full((32, 32), 200))
    assert X[0, 5, 2, 0] == 40 and X[0, 5, 2, 1] == 17  # row 5, column 2


def test_load_CIFAR_batch_shapes_dtypes_and_pixels(folder):
    path, train_data, train_labels, _, _ = folder
    X, y = data_utils.load_CIFAR_batch(path / "data_batch_1")
    assert X.shape == (20, 32, 32, 3) and X.dtype == np.float64
    assert y.shape == (20,) and y.dtype == np.int64
    np.testing.assert_array_equal(X, planes_to_images(train_data[:20]))
    np.testing.assert_array_equal(y, train_labels[:20])
    for dtype in (np.float32, np.uint8):
        X_typed, _ = data_utils.load_CIFAR_batch(path / "data_batch_1", dtype=dtype)
        assert X_typed.dtype == dtype
        np.testing.assert_array_equal(X_typed, X)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.uint8])
def test_images_are_c_contiguous_so_flattening_is_free(folder, dtype):
    # Notebooks flatten with X.reshape(N, -1); on a transposed (non-contiguous) array that silently copies,
    # 1.2 GB for the float64 training set.
    X_train, _, X_test, _ = data_utils.load_CIFAR10(folder[0], dtype=dtype)
    data = split(folder, dtype=dtype)
    for X in (X_train, X_test, data["X_train"], data["X_dev"], data_utils.load_CIFAR_batch(folder[0] / "test_batch",
                                                                                           dtype=dtype)[0]):
        assert X.flags.c_contiguous
        assert np.shares_memory(X.reshape(len(X), -1), X)


def test_load_CIFAR10_concatenates_batches_in_order(folder):
    path, train_data, train_labels, test_data, test_labels = folder
    X_train, y_train, X_test, y_test = data_utils.load_CIFAR10(path)
    assert X_train.shape == (100, 32, 32, 3) and X_test.shape == (20, 32, 32, 3)
    assert X_train.dtype == X_test.dtype == np.float64 and y_train.dtype == y_test.dtype == np.int64
    np.testing.assert_array_equal(X_train, planes_to_images(train_data))
    np.testing.assert_array_equal(y_train, train_labels)
    np.testing.assert_array_equal(X_test, planes_to_images(test_data))
    np.testing.assert_array_equal(y_test, test_labels)
    assert data_utils.load_CIFAR10(path, dtype=np.float32)[0].dtype == np.float32


def test_load_CIFAR10_without_a_root_uses_cifar10_dir(folder, monkeypatch):
    path, train_data, *_ = folder
    monkeypatch.setenv(datasets.ENV_VAR, str(path.parent))
    np.testing.assert_array_equal(data_utils.load_CIFAR10()[0], planes_to_images(train_data))


def test_load_CIFAR10_with_no_dataset_names_make_data(tmp_path, monkeypatch):
    monkeypatch.setenv(datasets.ENV_VAR, str(tmp_path))  # an empty folder: no cifar-10-batches-py in it
    with pytest.raises(FileNotFoundError, match="make data"):
        data_utils.load_CIFAR10()


def split(folder, **kwargs):
    kwargs = {"num_training": 80, "num_validation": 20, "num_test": 10, "num_dev": 5, "seed": 0} | kwargs
    return data_utils.get_CIFAR10_data(folder[0], **kwargs)


def test_split_rows(folder):
    _, train_data, train_labels, test_data, test_labels = folder
    data = split(folder)
    assert set(data) == {"X_train", "y_train", "X_val", "y_val", "X_test", "y_test", "X_dev", "y_dev"}
    np.testing.assert_array_equal(data["X_train"], planes_to_images(train_data[:80]))
    np.testing.assert_array_equal(data["y_train"], train_labels[:80])
    np.testing.assert_array_equal(data["X_val"], planes_to_images(train_data[80:100]))
    np.testing.assert_array_equal(data["y_val"], train_labels[80:100])
    np.testing.assert_array_equal(data["X_test"], planes_to_images(test_data[:10]))
    np.testing.assert_array_equal(data["y_test"], test_labels[:10])
    for key, value in data.items():
        assert value.dtype == (np.float64 if key.startswith("X") else np.int64), key
    assert data["X_dev"].shape == (5, 32, 32, 3) and data["y_dev"].shape == (5,)


def dev_rows(data):
    """Index in X_train of each dev image (random pixels make every image unique)."""
    flat_train = data["X_train"].reshape(len(data["X_train"]), -1)
    return [int(np.flatnonzero((flat_train == image.ravel()).all(axis=1))[0]) for image in data["X_dev"]]


def test_dev_subset_is_drawn_from_training_and_reproducible(folder):
    data = split(folder)
    rows = dev_rows(data)  # raises IndexError if a dev image is not a training image (e.g. from validation)
    assert len(set(rows)) == 5
    np.testing.assert_array_equal(data["y_dev"], data["y_train"][rows])
    again = split(folder)
    np.testing.assert_array_equal(again["X_dev"], data["X_dev"])
    other_seed = split(folder, seed=1)
    assert dev_rows(other_seed) != rows


def test_dev_subset_never_comes_from_validation(folder):
    # 40 of 100 rows: were they drawn from training and validation together, all 40 landing among the first
    # 50 would have probability below 1e-20.
    data = split(folder, num_training=50, num_validation=50, num_dev=40, seed=7)
    assert len(set(dev_rows(data))) == 40


def test_split_dtype_option(folder):
    data = split(folder, dtype=np.float32)
    assert all(data[key].dtype == np.float32 for key in ("X_train", "X_val", "X_test", "X_dev"))
    np.testing.assert_array_equal(data["X_train"], split(folder)["X_train"])


def test_split_defaults_are_the_notebooks_split():
    defaults = {name: p.default for name, p in inspect.signature(data_utils.get_CIFAR10_data).parameters.items()}
    assert defaults["num_training"] == 49000 and defaults["num_validation"] == 1000
    assert defaults["num_test"] == 1000 and defaults["num_dev"] == 500 and defaults["seed"] == 0
    assert defaults["dtype"] is np.float64


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"num_training": 49500, "num_validation": 1000}, "num_validation must be an integer from 0 to 500"),
    ({"num_test": 10001}, "num_test must be an integer from 0 to 10000"),
    ({"num_dev": 81}, "num_dev must be an integer from 0 to 80"),
    ({"num_training": 90}, "holds 100 training"),
    ({"num_test": 30}, "20 test"),
])
def test_split_rejects_impossible_sizes(folder, kwargs, message):
    with pytest.raises(ValueError, match=message):
        split(folder, **kwargs)


def test_classes_follow_the_label_order():
    assert len(data_utils.CLASSES) == 10
    assert data_utils.CLASSES[0] == "plane" and data_utils.CLASSES[3] == "cat" and data_utils.CLASSES[9] == "truck"


# --- issue 14, item 11 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.int8, np.bool_])
def test_a_dtype_that_cannot_hold_pixels_is_refused(folder, dtype):
    # int8 wrapped the pixels around to -128..127.
    path = folder[0]
    for load in (lambda: data_utils.load_CIFAR_batch(path / "data_batch_1", dtype=dtype),
                 lambda: data_utils.load_CIFAR10(path, dtype=dtype),
                 lambda: data_utils.get_CIFAR10_data(path, 10, 10, 10, 5, dtype=dtype)):
        with pytest.raises(ValueError, match=r"dtype must hold pixel values 0..255"):
            load()


@pytest.mark.parametrize("kwargs", [{"num_test": -1}, {"num_training": -5}, {"num_validation": -1},
                                    {"num_dev": -1}, {"num_test": 2.5}])
def test_counts_outside_zero_to_available_are_refused(folder, kwargs):
    # num_test=-1 used to return 9,999 test images (a slice up to -1).
    name = next(iter(kwargs))
    with pytest.raises(ValueError, match=rf"{name} must be an integer from 0 to"):
        data_utils.get_CIFAR10_data(folder[0], **{"num_training": 50, "num_validation": 10, "num_test": 10,
                                                   "num_dev": 5, **kwargs})
