"""Checks shared by tests/test_svm.py and tests/test_softmax.py (the two linear classifiers).

Each function here takes the loss function or classifier class under test, so the two test files state the
same properties for their own code without repeating it. Not collected by pytest (no test_ prefix).
"""

import warnings

import numpy as np
import pytest

from cs231n.gradient_check import eval_numerical_gradient, rel_error

# (num_train, dim, num_classes): a single example, fewer classes than features, more classes than features.
SHAPES = [(1, 3, 2), (5, 4, 3), (13, 6, 10), (40, 3, 7)]


def random_problem(num_train, dim, num_classes, seed, dtype=np.float64):
    """Random W (D, C), X (N, D) of the given dtype, y (N,) int64 labels, all of moderate size."""
    rng = np.random.default_rng(seed)
    W = rng.standard_normal((dim, num_classes))
    X = rng.standard_normal((num_train, dim)).astype(dtype)
    y = rng.integers(0, num_classes, num_train)
    return W, X, y


def check_numeric_gradient(loss_fn, shape, reg, seed=0):
    """The analytic gradient of loss_fn agrees with centred differences on every entry of W."""
    W, X, y = random_problem(*shape, seed=seed)
    loss, dW = loss_fn(W, X, y, reg)
    assert isinstance(float(loss), float) and dW.shape == W.shape
    numeric = eval_numerical_gradient(lambda w: loss_fn(w, X, y, reg)[0], W.copy(), verbose=False)
    assert rel_error(dW, numeric) < 1e-6


def check_twins_agree(naive_fn, vectorized_fn, shape, reg, dtype, seed=1):
    """Loops and vectorised code give the same loss and gradient, and leave their inputs unchanged."""
    W, X, y = random_problem(*shape, seed=seed, dtype=dtype)
    W0, X0, y0 = W.copy(), X.copy(), y.copy()
    loss_naive, dW_naive = naive_fn(W, X, y, reg)
    loss_vec, dW_vec = vectorized_fn(W, X, y, reg)
    assert loss_naive == pytest.approx(loss_vec, rel=1e-10)
    assert rel_error(dW_naive, dW_vec) < 1e-9
    assert np.array_equal(W, W0) and np.array_equal(X, X0) and np.array_equal(y, y0)


def check_zero_weights(loss_fn, expected_loss, reg):
    """At W = 0 every score is 0, so the data loss is the same for any X: expected_loss (regularisation adds 0)."""
    for num_train, dim, num_classes in [(7, 5, 10), (30, 4, 3)]:
        _, X, y = random_problem(num_train, dim, num_classes, seed=num_train)
        loss, _ = loss_fn(np.zeros((dim, num_classes)), X, y, reg)
        assert loss == pytest.approx(expected_loss(num_classes), rel=1e-12)


def check_huge_scores(loss_fn):
    """Scores of about +-1e4 give a finite loss and gradient, with no numpy warning at all."""
    W, X, y = random_problem(20, 5, 10, seed=2)
    W *= 1e4 / np.abs(X @ W).max()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, dW = loss_fn(W, X, y, 0.0)
    assert np.isfinite(loss) and loss > 100  # some examples are badly misclassified by thousands
    assert np.all(np.isfinite(dW))


BAD_INPUTS = {
    # name: (how to break a valid (W, X, y), words the error message must contain)
    "label too large": (lambda W, X, y: (W, X, np.where(y == 0, W.shape[1], y)), "0..2"),
    "negative label": (lambda W, X, y: (W, X, np.where(y == 0, -1, y)), "0..2"),
    "float labels": (lambda W, X, y: (W, X, y.astype(float)), "integer"),
    "too few labels": (lambda W, X, y: (W, X, y[:-1]), "labels, one per row"),
    "X and W disagree": (lambda W, X, y: (W, X[:, :-1], y), "columns"),
    "1-D X": (lambda W, X, y: (W, X[0], y[:1]), "2-D"),
    # issue 14, item 8: one clear error for an empty batch (not ZeroDivisionError, not NaN)
    "empty batch": (lambda W, X, y: (W, X[:0], y[:0]), r"at least one row; got an empty batch of shape \(0, 4\)"),
    # issue 14, item 7: NaN in the data is named, not passed on as a NaN loss
    "NaN in X": (lambda W, X, y: (W, np.where(np.arange(len(X))[:, None] == 5, np.nan, X), y),
                 r"4 NaN or infinite value\(s\), the first in row 5"),
    "complex X": (lambda W, X, y: (W, X + 1j, y), "real numbers; got complex"),
}


def check_bad_input(loss_fn, case):
    """loss_fn refuses a broken input with a ValueError that says what was wrong."""
    W, X, y = random_problem(8, 4, 3, seed=3)
    y[:3] = [0, 1, 2]
    breaker, words = BAD_INPUTS[case]
    with pytest.raises(ValueError, match=words):
        loss_fn(*breaker(W, X, y), 0.1)


# ---------------------------------------------------------------------------------------------------------------
# The classifier: LinearClassifier.train / predict through a subclass.

def blobs(num_per_class=40, num_classes=3, dim=5, seed=0):
    """Linearly separable toy data: each class a tight cluster around its own random centre, plus a bias column.

    Returns X (N, dim + 1), y (N,) int labels, N = num_per_class * num_classes.
    """
    rng = np.random.default_rng(seed)
    centres = 5 * rng.standard_normal((num_classes, dim))
    y = np.repeat(np.arange(num_classes), num_per_class)
    X = centres[y] + 0.3 * rng.standard_normal((len(y), dim))
    return np.hstack([X, np.ones((len(y), 1))]), y


def check_training_learns(cls):
    """On separable data the loss falls and the classifier ends up (almost) always right."""
    X, y = blobs()
    np.random.seed(0)
    clf = cls()
    history = clf.train(X, y, learning_rate=1e-2, reg=1e-4, num_iters=300, batch_size=30)
    assert len(history) == 300 and all(isinstance(v, float) for v in history)
    assert clf.W.shape == (X.shape[1], 3)
    assert np.mean(history[-20:]) < 0.2 * np.mean(history[:5])
    assert np.mean(clf.predict(X) == y) >= 0.98


def check_regularisation_shrinks_weights(cls):
    """The same run (same seed, same minibatches) with a large reg ends with a clearly smaller weight norm."""
    X, y = blobs(seed=1)
    norms = []
    for reg in (0.0, 10.0):
        np.random.seed(0)
        clf = cls()
        clf.train(X, y, learning_rate=1e-2, reg=reg, num_iters=200, batch_size=30)
        norms.append(np.linalg.norm(clf.W))
    assert norms[1] < 0.8 * norms[0]


def check_predict(cls):
    """predict returns (N,) integers, each the argmax of that row's scores, also for an unseen W."""
    X, y = blobs(seed=2)
    clf = cls()
    clf.train(X, y, num_iters=1)
    clf.W = np.random.default_rng(4).standard_normal(clf.W.shape)
    pred = clf.predict(X)
    assert pred.shape == (len(X),) and np.issubdtype(pred.dtype, np.integer)
    expected = [max(range(clf.W.shape[1]), key=lambda c: X[i] @ clf.W[:, c]) for i in range(len(X))]
    assert np.array_equal(pred, expected)


def check_diverging_training_names_the_learning_rate(cls):
    """A far too large learning rate ends in a clear error, not NaN weights and a warning storm."""
    X, y = blobs(seed=3)
    np.random.seed(0)
    with pytest.raises(FloatingPointError, match=r"learning rate \(1e\+30\) is too large"):
        cls().train(X, y, learning_rate=1e30, reg=10.0, num_iters=100)


def check_train_rejects_bad_input(cls):
    """Wrong shapes and labels are refused with a message; predict needs training first and the same D."""
    X, y = blobs(seed=4)
    with pytest.raises(ValueError, match="train"):
        cls().predict(X)
    with pytest.raises(ValueError, match="2-D"):
        cls().train(X.reshape(len(X), 2, -1), y)
    with pytest.raises(ValueError, match="one per row"):
        cls().train(X, y[:-1])
    with pytest.raises(ValueError, match="integer"):
        cls().train(X, y.astype(float))
    clf = cls()
    clf.train(X, y, num_iters=1)
    with pytest.raises(ValueError, match="columns"):
        clf.predict(X[:, :-1])
    with pytest.raises(ValueError, match="cannot continue"):
        clf.train(X, np.where(y == 0, 7, y), num_iters=1)


def check_train_refuses_non_finite_data(cls):
    """NaN or inf in the training data is named (array, count, first row): not reported as a diverging run."""
    X, y = blobs(seed=5)
    X[7, 2] = np.inf
    X[9, 0] = np.nan
    with pytest.raises(ValueError, match=r"X must be an array of finite numbers; got 2 NaN or infinite "
                                         r"value\(s\), the first in row 7"):
        cls().train(X, y, num_iters=5)


def check_train_refuses_an_empty_batch(cls):
    """Training data without rows gets the same empty-batch error as the losses (not a numpy reduction error)."""
    with pytest.raises(ValueError, match=r"at least one row; got an empty batch of shape \(0, 6\)"):
        cls().train(np.zeros((0, 6)), np.zeros(0, int))


def check_train_refuses_a_bad_learning_rate(cls):
    """A learning rate <= 0 would climb the loss (or stand still): it is refused before any step."""
    X, y = blobs(seed=6)
    for learning_rate in (-1, 0.0, np.nan):
        with pytest.raises(ValueError, match="learning_rate must be"):
            cls().train(X, y, learning_rate=learning_rate, num_iters=5)
