"""Unit tests for the multiclass SVM: svm_loss_naive, svm_loss_vectorized and LinearSVM (train, predict)."""

import numpy as np
import pytest

from cs231n.classifiers import LinearClassifier, LinearSVM
from cs231n.classifiers.linear_svm import svm_loss_naive, svm_loss_vectorized
from tests.linear_checks import (
    BAD_INPUTS,
    SHAPES,
    check_bad_input,
    check_diverging_training_names_the_learning_rate,
    check_huge_scores,
    check_numeric_gradient,
    check_predict,
    check_regularisation_shrinks_weights,
    check_train_refuses_a_bad_learning_rate,
    check_train_refuses_an_empty_batch,
    check_train_refuses_non_finite_data,
    check_train_rejects_bad_input,
    check_training_learns,
    check_twins_agree,
    check_zero_weights,
    random_problem,
)

LOSSES = [svm_loss_naive, svm_loss_vectorized]


@pytest.mark.parametrize("loss_fn", LOSSES)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("reg", [0.0, 0.7])
def test_gradient_matches_numeric_gradient(loss_fn, shape, reg):
    check_numeric_gradient(loss_fn, shape, reg)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("reg", [0.0, 2.5])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_naive_and_vectorized_agree(shape, reg, dtype):
    check_twins_agree(svm_loss_naive, svm_loss_vectorized, shape, reg, dtype)


@pytest.mark.parametrize("loss_fn", LOSSES)
@pytest.mark.parametrize("reg", [0.0, 3.0])
def test_zero_weights_give_num_classes_minus_one(loss_fn, reg):
    # Every margin is 0 - 0 + 1 = 1, for each of the C - 1 wrong classes.
    check_zero_weights(loss_fn, lambda num_classes: num_classes - 1.0, reg)


@pytest.mark.parametrize("loss_fn", LOSSES)
def test_hand_computed_example(loss_fn):
    # x = (1, 2), scores (1, 2, -1), true class 0: class 1 violates by 2 - 1 + 1 = 2, class 2 is 2 below the margin.
    X = np.array([[1.0, 2.0]])
    W = np.array([[1.0, 0.0, -1.0], [0.0, 1.0, 0.0]])
    loss, dW = loss_fn(W, X, np.array([0]), 0.0)
    assert loss == pytest.approx(2.0)
    np.testing.assert_allclose(dW, [[-1.0, 1.0, 0.0], [-2.0, 2.0, 0.0]])
    # reg * sum(W^2) = 0.5 * 3 and its gradient 2 * reg * W = W.
    loss, dW = loss_fn(W, X, np.array([0]), 0.5)
    assert loss == pytest.approx(3.5)
    np.testing.assert_allclose(dW, np.array([[-1.0, 1.0, 0.0], [-2.0, 2.0, 0.0]]) + W)


@pytest.mark.parametrize("loss_fn", LOSSES)
def test_loss_is_averaged_over_examples(loss_fn):
    # Repeating every example leaves the mean loss and gradient unchanged.
    W, X, y = np.random.default_rng(5).standard_normal((4, 3)), np.eye(5, 4), np.array([0, 1, 2, 0, 1])
    once, twice = loss_fn(W, X, y, 0.1), loss_fn(W, np.vstack([X, X]), np.concatenate([y, y]), 0.1)
    assert once[0] == pytest.approx(twice[0])
    np.testing.assert_allclose(once[1], twice[1])


@pytest.mark.parametrize("loss_fn", LOSSES)
def test_huge_scores_stay_finite(loss_fn):
    check_huge_scores(loss_fn)


@pytest.mark.parametrize("loss_fn", LOSSES)
@pytest.mark.parametrize("case", BAD_INPUTS)
def test_bad_input_is_refused(loss_fn, case):
    check_bad_input(loss_fn, case)


def test_linear_svm_uses_the_hinge_loss():
    W, X, y = np.random.default_rng(6).standard_normal((4, 3)), np.eye(6, 4), np.arange(6) % 3
    clf = LinearSVM()
    clf.W = W
    loss, dW = clf.loss(X, y, 0.2)
    expected_loss, expected_dW = svm_loss_naive(W, X, y, 0.2)
    assert loss == pytest.approx(expected_loss)
    np.testing.assert_allclose(dW, expected_dW)


def test_training_learns_a_separable_problem():
    check_training_learns(LinearSVM)


def test_regularisation_shrinks_the_weights():
    check_regularisation_shrinks_weights(LinearSVM)


def test_predict_is_the_argmax_of_the_scores():
    check_predict(LinearSVM)


def test_diverging_training_raises_an_error_naming_the_learning_rate():
    check_diverging_training_names_the_learning_rate(LinearSVM)


def test_train_and_predict_reject_bad_input():
    check_train_rejects_bad_input(LinearSVM)


def test_train_refuses_non_finite_data():
    check_train_refuses_non_finite_data(LinearSVM)


def test_train_refuses_an_empty_batch():
    check_train_refuses_an_empty_batch(LinearSVM)


def test_train_refuses_a_bad_learning_rate():
    check_train_refuses_a_bad_learning_rate(LinearSVM)


# The SGD loop itself lives in LinearClassifier; it is tested here once, with a loss whose gradient is known.
class _Recorder(LinearClassifier):
    """A loss that records each minibatch and returns a fixed gradient of ones."""

    def __init__(self):
        super().__init__()
        self.batches = []

    def loss(self, X_batch, y_batch, reg):
        self.batches.append((X_batch.copy(), y_batch.copy()))
        return float(len(self.batches)), np.ones_like(self.W)


def test_train_samples_matching_minibatches_with_replacement_and_steps_downhill():
    num_train = 7
    X = np.column_stack([np.arange(num_train), np.ones(num_train)])  # column 0 tells which row a sample came from
    y = np.arange(num_train) % 3
    np.random.seed(0)
    clf = _Recorder()
    history = clf.train(X, y, learning_rate=0.1, num_iters=5, batch_size=20)  # batch larger than the data
    W0 = clf.W + 5 * 0.1  # five steps of -0.1 * ones undone
    assert history == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert W0.shape == (2, 3) and np.abs(W0).max() < 0.01 and W0.std() > 1e-4  # small random weights, not zeros
    for X_batch, y_batch in clf.batches:
        assert X_batch.shape == (20, 2) and y_batch.shape == (20,)
        rows = X_batch[:, 0].astype(int)
        np.testing.assert_array_equal(y_batch, y[rows])  # each label stays with its own example
    seen = np.concatenate([b[0][:, 0] for b in clf.batches])
    assert len(np.unique(seen)) == num_train  # 100 draws reach every row, not always the same ones


def test_train_continues_from_the_current_weights(capsys):
    clf = _Recorder()
    X, y = np.ones((4, 2)), np.array([0, 1, 2, 1])
    clf.train(X, y, learning_rate=1.0, num_iters=2, batch_size=2)
    W_after_two = clf.W.copy()
    clf.train(X, y, learning_rate=1.0, num_iters=101, batch_size=2, verbose=True)
    np.testing.assert_allclose(clf.W, W_after_two - 101)
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 2 and printed[0].startswith("iteration 0 / 101")


def test_base_class_has_no_loss():
    with pytest.raises(NotImplementedError, match="LinearSVM or Softmax"):
        LinearClassifier().loss(np.ones((3, 2)), np.array([0, 1, 0]), 0.0)


def test_weights_take_the_datas_float_dtype():
    # float32 data trains in float32: no float64 copy of every minibatch (twice a step) in the matrix products.
    _, X, y = random_problem(30, 5, 3, seed=7, dtype=np.float32)
    for data, dtype in ((X, np.float32), (X.astype(np.float64), np.float64), ((100 * X).astype(int), np.float64)):
        clf = LinearSVM()
        clf.train(data, y, num_iters=2, batch_size=5)
        assert clf.W.dtype == dtype
        assert clf.loss(data.astype(dtype)[:5], y[:5], 0.1)[1].dtype == dtype
