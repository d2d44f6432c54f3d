"""KNearestNeighbor: distances against a brute-force reference, the vote rule, dispatch and bad input."""

import tracemalloc

import numpy as np
import pytest

from cs231n.classifiers import KNearestNeighbor

DISTANCE_METHODS = ["compute_distances_two_loops", "compute_distances_one_loop", "compute_distances_no_loops"]


def brute_force_dists(X, X_train):
    """Reference L2 distances by full broadcasting (fine for tiny arrays): (num_test, num_train)."""
    return np.sqrt(((X[:, None, :] - X_train[None, :, :]) ** 2).sum(axis=2))


def small_integer_data(seed=0):
    """Integer-valued points with duplicates and exact distance ties.

    Small integers keep every sum of squares exact in float64, so all three versions must match the reference
    exactly, zeros included.
    """
    rng = np.random.default_rng(seed)
    X_train = rng.integers(-5, 6, size=(13, 6)).astype(np.float64)
    X_train[7] = X_train[2]  # a duplicated training point
    X_test = rng.integers(-5, 6, size=(9, 6)).astype(np.float64)
    X_test[0] = X_train[2]  # a test point equal to two training points: two exact zeros
    X_test[1] = X_train[4]
    X_test[3] = 0.0
    X_train[10] = 0.0
    X_train[11] = [3, 0, 0, 0, 0, 0]
    X_train[12] = [0, -3, 0, 0, 0, 0]  # rows 11 and 12 are exactly 3 from X_test[3]: a tie
    y_train = rng.integers(0, 4, size=13)
    return X_train, y_train, X_test


def trained(X_train, y_train=None):
    knn = KNearestNeighbor()
    knn.train(X_train, np.zeros(len(X_train), dtype=int) if y_train is None else y_train)
    return knn


@pytest.fixture(params=DISTANCE_METHODS)
def method(request):
    return request.param


def test_distances_match_brute_force_exactly_on_integer_data(method):
    X_train, y_train, X_test = small_integer_data()
    dists = getattr(trained(X_train, y_train), method)(X_test)
    expected = brute_force_dists(X_test, X_train)
    assert dists.shape == (9, 13)
    np.testing.assert_array_equal(dists, expected)
    assert dists[0, 2] == dists[0, 7] == 0.0
    assert dists[3, 11] == dists[3, 12] == 3.0


def test_distances_match_brute_force_on_random_floats(method):
    rng = np.random.default_rng(1)
    X_train, X_test = rng.normal(size=(40, 17)), rng.normal(size=(11, 17))
    X_test[5] = X_train[30]
    dists = getattr(trained(X_train), method)(X_test)
    np.testing.assert_allclose(dists, brute_force_dists(X_test, X_train), rtol=1e-10, atol=1e-6)


def test_distances_of_uint8_pixels_do_not_wrap_around(method):
    # In uint8 arithmetic 10 - 250 would be 16, not -240.
    X_train = np.array([[250, 0, 7], [10, 255, 7]], dtype=np.uint8)
    X_test = np.array([[10, 0, 7]], dtype=np.uint8)
    dists = getattr(trained(X_train), method)(X_test)
    np.testing.assert_allclose(dists, [[240.0, 255.0]])


def test_distance_versions_do_not_call_each_other(method, monkeypatch):
    X_train, y_train, X_test = small_integer_data()
    knn = trained(X_train, y_train)
    for other in DISTANCE_METHODS:
        if other != method:
            monkeypatch.setattr(knn, other, lambda X: pytest.fail("delegated to another distance version"))
    getattr(knn, method)(X_test)


def test_no_loop_version_survives_catastrophic_cancellation():
    # Large, nearly equal vectors: ||a||^2 - 2a.b + ||b||^2 subtracts numbers near 3e13 to get something near 0.
    rng = np.random.default_rng(2)
    X_train = 1e6 + rng.normal(scale=1e-3, size=(30, 32))
    X_test = np.vstack([X_train[:10], 1e6 + rng.normal(scale=1e-3, size=(10, 32))])
    raw = (X_test ** 2).sum(1)[:, None] - 2 * X_test @ X_train.T + (X_train ** 2).sum(1)
    assert (raw < 0).any(), "this input no longer provokes a negative expansion; the test needs a harder one"
    dists = trained(X_train).compute_distances_no_loops(X_test)
    assert np.all(np.isfinite(dists)) and np.all(dists >= 0)
    # Rounding error in the squared distance is about eps * ||a||^2 ~ 7e-3, so distances are good to ~0.1.
    np.testing.assert_allclose(dists, brute_force_dists(X_test, X_train), atol=0.5)


def test_no_loop_version_never_builds_a_3d_array():
    rng = np.random.default_rng(3)
    num_test, num_train, D = 60, 80, 1000  # a (60, 80, 1000) float64 array would take 38 MB
    knn = trained(rng.normal(size=(num_train, D)))
    X_test = rng.normal(size=(num_test, D))
    tracemalloc.start()
    knn.compute_distances_no_loops(X_test)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 10 * num_test * num_train * 8, f"peak {peak / 1e6:.1f} MB"


def test_predict_labels_majority_vote():
    knn = trained(np.zeros((5, 2)), np.array([3, 1, 3, 0, 1]))
    dists = np.array([[0.1, 0.2, 0.3, 9.0, 9.0],    # labels by distance: 3, 1, 3, ...
                      [9.0, 0.5, 9.0, 0.1, 0.3]])   # labels by distance: 0, 1, 1, ...
    np.testing.assert_array_equal(knn.predict_labels(dists, k=1), [3, 0])
    np.testing.assert_array_equal(knn.predict_labels(dists, k=3), [3, 1])


def test_predict_labels_tied_vote_goes_to_smaller_label():
    # k=2, nearest neighbour has label 2, the second label 1: a 1-1 tie, which must go to label 1.
    knn = trained(np.zeros((4, 2)), np.array([2, 1, 0, 2]))
    dists = np.array([[0.1, 0.2, 5.0, 6.0],
                      [0.2, 0.1, 5.0, 6.0]])
    np.testing.assert_array_equal(knn.predict_labels(dists, k=2), [1, 1])
    # k=4: labels 2, 1, 0, 2 -> label 2 has two votes and wins outright.
    np.testing.assert_array_equal(knn.predict_labels(dists, k=4), [2, 2])


def test_predict_labels_equal_distances_take_the_lower_index_first():
    knn = trained(np.zeros((4, 2)), np.array([2, 0, 1, 0]))
    dists = np.array([[1.0, 1.0, 1.0, 0.5]])
    # Nearest: index 3 (label 0). Then indices 0, 1, 2 tie at 1.0, taken in that order.
    np.testing.assert_array_equal(knn.predict_labels(dists, k=1), [0])
    np.testing.assert_array_equal(knn.predict_labels(dists, k=2), [0])  # labels 0, 2 -> tie -> 0
    dists = np.array([[1.0, 1.0, 1.0, 1.0]])
    np.testing.assert_array_equal(knn.predict_labels(dists, k=1), [2])  # index 0 first, label 2


def test_predict_labels_returns_integer_labels():
    X_train, y_train, X_test = small_integer_data()
    knn = trained(X_train, y_train)
    y_pred = knn.predict_labels(knn.compute_distances_no_loops(X_test), k=3)
    assert y_pred.shape == (9,) and np.issubdtype(y_pred.dtype, np.integer)


@pytest.mark.parametrize("k", [1, 2, 3, 5, 13])
def test_predict_matches_an_independent_reference(k):
    X_train, y_train, X_test = small_integer_data(seed=4)
    expected = []
    for row in brute_force_dists(X_test, X_train):
        order = sorted(range(len(row)), key=lambda j: (row[j], j))[:k]
        votes = np.bincount(y_train[order], minlength=4)
        expected.append(min(c for c in range(4) if votes[c] == votes.max()))
    knn = trained(X_train, y_train)
    for num_loops in (0, 1, 2):
        np.testing.assert_array_equal(knn.predict(X_test, k=k, num_loops=num_loops), expected)


@pytest.mark.parametrize("num_loops, method", [(0, "compute_distances_no_loops"),
                                               (1, "compute_distances_one_loop"),
                                               (2, "compute_distances_two_loops")])
def test_predict_dispatches_on_num_loops(num_loops, method, monkeypatch):
    X_train, y_train, X_test = small_integer_data()
    knn = trained(X_train, y_train)
    calls = []
    for name in DISTANCE_METHODS:
        original = getattr(knn, name)
        monkeypatch.setattr(knn, name, lambda X, name=name, original=original: calls.append(name) or original(X))
    knn.predict(X_test, k=1, num_loops=num_loops)
    assert calls == [method]


def test_predict_separates_clusters():
    rng = np.random.default_rng(5)
    centres = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    y_train = np.repeat([0, 1, 2], 20)
    X_train = centres[y_train] + rng.normal(size=(60, 2))
    y_test = np.repeat([0, 1, 2], 5)
    X_test = centres[y_test] + rng.normal(size=(15, 2))
    knn = trained(X_train, y_train)
    np.testing.assert_array_equal(knn.predict(X_test, k=5), y_test)


# ---- bad input ----

def test_predict_before_train():
    knn = KNearestNeighbor()
    with pytest.raises(RuntimeError, match=r"call train\(X_train, y_train\)"):
        knn.predict(np.zeros((2, 3)))
    with pytest.raises(RuntimeError, match="no training data"):
        knn.predict_labels(np.zeros((2, 3)))
    for method in DISTANCE_METHODS:
        with pytest.raises(RuntimeError, match="no training data"):
            getattr(knn, method)(np.zeros((2, 3)))


def test_feature_count_mismatch(method):
    knn = trained(np.zeros((4, 3072)))
    with pytest.raises(ValueError, match=r"3072 columns.*got shape \(2, 3071\).*trained on rows of 3072 features"):
        getattr(knn, method)(np.zeros((2, 3071)))
    with pytest.raises(ValueError, match=r"3072 columns.*got shape \(2, 10\)"):
        knn.predict(np.zeros((2, 10)))


def test_unflattened_images_are_refused():
    knn = trained(np.zeros((4, 3072)))
    with pytest.raises(ValueError, match=r"2-D.*got shape \(2, 32, 32, 3\).*reshape"):
        knn.predict(np.zeros((2, 32, 32, 3)))
    with pytest.raises(ValueError, match=r"2-D.*got shape \(4, 32, 32, 3\)"):
        KNearestNeighbor().train(np.zeros((4, 32, 32, 3)), np.zeros(4, dtype=int))


@pytest.mark.parametrize("k", [0, -1, 5, 2.5, True])
def test_bad_k(k):
    knn = trained(np.zeros((4, 3)))
    with pytest.raises(ValueError, match=rf"k must be an integer from 1 to 4; got {k!r}"):
        knn.predict(np.zeros((2, 3)), k=k)
    with pytest.raises(ValueError, match=rf"k must be an integer from 1 to 4; got {k!r}"):
        knn.predict_labels(np.zeros((2, 4)), k=k)


def test_k_at_the_limits_is_accepted():
    knn = trained(np.eye(4), np.array([0, 1, 1, 2]))
    np.testing.assert_array_equal(knn.predict(np.eye(4), k=np.int64(4)), [1, 1, 1, 1])
    np.testing.assert_array_equal(knn.predict(np.eye(4), k=1), [0, 1, 1, 2])


@pytest.mark.parametrize("num_loops", [3, -1, "0", None, True])
def test_bad_num_loops(num_loops):
    knn = trained(np.zeros((4, 3)))
    with pytest.raises(ValueError, match=rf"num_loops must be an integer from 0 to 2; got {num_loops!r}"):
        knn.predict(np.zeros((2, 3)), num_loops=num_loops)


def test_predict_labels_checks_dists_shape():
    knn = trained(np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"dists must be an array with 4 columns.*got shape \(2, 3\)"):
        knn.predict_labels(np.zeros((2, 3)))


@pytest.mark.parametrize("y, message", [
    (np.zeros(3, dtype=int), r"4 labels, one per row; got shape \(3,\)"),
    (np.zeros((4, 1), dtype=int), r"got shape \(4, 1\)"),
    (np.array([0.0, 1.0, 0.0, 1.0]), "integer class labels; got dtype float64"),
    (np.array([0, -1, 0, 1]), "got labels from -1 to"),
])
def test_bad_training_labels(y, message):
    with pytest.raises(ValueError, match=message):
        KNearestNeighbor().train(np.zeros((4, 3)), y)


# --- issue 14: bad data that used to be answered silently --------------------------------------------------------


def test_non_finite_data_is_named_not_voted_on():
    knn = trained(np.arange(12.0).reshape(4, 3))
    X = np.zeros((3, 3))
    X[2, 1] = np.nan
    with pytest.raises(ValueError, match=r"X must be an array of finite numbers; got 1 NaN.*row 2"):
        knn.predict(X)
    with pytest.raises(ValueError, match=r"X must be an array of finite numbers; got 1 NaN.*row 1"):
        KNearestNeighbor().train(np.array([[0.0, 1.0], [np.inf, 0.0]]), np.array([0, 1]))


def test_a_huge_label_is_refused_when_training():
    # np.bincount would allocate max(label) + 1 counters at prediction time: 8 TiB for 2**40.
    with pytest.raises(ValueError, match=r"class labels in 0..C-1.*got labels from 0 to 1099511627776.*np.unique"):
        KNearestNeighbor().train(np.zeros((2, 3)), np.array([0, 2**40]))


def test_complex_data_is_refused():
    with pytest.raises(ValueError, match="real numbers; got complex"):
        KNearestNeighbor().train(np.zeros((2, 3)) + 1j, np.array([0, 1]))
