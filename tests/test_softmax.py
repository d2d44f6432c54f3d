"""Unit tests for softmax: softmax_loss_naive, softmax_loss_vectorized and the Softmax classifier."""

import numpy as np
import pytest

from cs231n.classifiers import Softmax
from cs231n.classifiers.softmax import softmax_loss_naive, softmax_loss_vectorized
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

LOSSES = [softmax_loss_naive, softmax_loss_vectorized]


@pytest.mark.parametrize("loss_fn", LOSSES)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("reg", [0.0, 0.7])
def test_gradient_matches_numeric_gradient(loss_fn, shape, reg):
    check_numeric_gradient(loss_fn, shape, reg)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("reg", [0.0, 2.5])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_naive_and_vectorized_agree(shape, reg, dtype):
    check_twins_agree(softmax_loss_naive, softmax_loss_vectorized, shape, reg, dtype)


@pytest.mark.parametrize("loss_fn", LOSSES)
@pytest.mark.parametrize("reg", [0.0, 3.0])
def test_zero_weights_give_log_num_classes(loss_fn, reg):
    # Equal scores make every class equally likely: -log(1 / C).
    check_zero_weights(loss_fn, np.log, reg)


@pytest.mark.parametrize("loss_fn", LOSSES)
def test_hand_computed_example(loss_fn):
    # Scores (0, log 2, 0) give probabilities (1/4, 1/2, 1/4); the true class 0 costs -log(1/4).
    X, W = np.array([[1.0]]), np.array([[0.0, np.log(2.0), 0.0]])
    loss, dW = loss_fn(W, X, np.array([0]), 0.0)
    assert loss == pytest.approx(np.log(4.0))
    np.testing.assert_allclose(dW, [[-0.75, 0.5, 0.25]])
    loss, dW = loss_fn(W, X, np.array([0]), 2.0)
    assert loss == pytest.approx(np.log(4.0) + 2.0 * np.log(2.0) ** 2)
    np.testing.assert_allclose(dW, [[-0.75, 0.5 + 4.0 * np.log(2.0), 0.25]])


@pytest.mark.parametrize("loss_fn", LOSSES)
def test_loss_is_averaged_over_examples(loss_fn):
    W, X, y = random_problem(6, 4, 3, seed=7)
    once, twice = loss_fn(W, X, y, 0.1), loss_fn(W, np.vstack([X, X]), np.concatenate([y, y]), 0.1)
    assert once[0] == pytest.approx(twice[0])
    np.testing.assert_allclose(once[1], twice[1])


@pytest.mark.parametrize("loss_fn", LOSSES)
@pytest.mark.parametrize("shift", [3.0, 1000.0])
def test_adding_a_constant_to_every_score_changes_nothing(loss_fn, shift):
    # With a bias column, adding `shift` to the bias row of every class adds `shift` to every score.
    W, X, y = random_problem(12, 4, 5, seed=8)
    X[:, -1] = 1.0
    W_shifted = W.copy()
    W_shifted[-1] += shift
    loss, dW = loss_fn(W, X, y, 0.0)
    loss_shifted, dW_shifted = loss_fn(W_shifted, X, y, 0.0)
    assert loss_shifted == pytest.approx(loss, rel=1e-9)
    np.testing.assert_allclose(dW_shifted, dW, rtol=1e-7, atol=1e-12)


@pytest.mark.parametrize("loss_fn", LOSSES)
def test_huge_scores_stay_finite(loss_fn):
    check_huge_scores(loss_fn)


@pytest.mark.parametrize("loss_fn", LOSSES)
def test_a_confident_wrong_answer_costs_its_score_gap(loss_fn):
    # Scores (1e4, 0) with the true class 1: p_1 = 1 / (1 + e^1e4), so the loss is 1e4 (to double precision),
    # where the unshifted formula would give log(0) = -inf or inf / inf.
    X, W = np.array([[1.0]]), np.array([[1e4, 0.0]])
    loss, dW = loss_fn(W, X, np.array([1]), 0.0)
    assert loss == pytest.approx(1e4)
    np.testing.assert_allclose(dW, [[1.0, -1.0]])


@pytest.mark.parametrize("loss_fn", LOSSES)
@pytest.mark.parametrize("case", BAD_INPUTS)
def test_bad_input_is_refused(loss_fn, case):
    check_bad_input(loss_fn, case)


def test_softmax_classifier_uses_the_softmax_loss():
    W, X, y = random_problem(6, 4, 3, seed=9)
    clf = Softmax()
    clf.W = W
    loss, dW = clf.loss(X, y, 0.2)
    expected_loss, expected_dW = softmax_loss_naive(W, X, y, 0.2)
    assert loss == pytest.approx(expected_loss)
    np.testing.assert_allclose(dW, expected_dW)


def test_training_learns_a_separable_problem():
    check_training_learns(Softmax)


def test_regularisation_shrinks_the_weights():
    check_regularisation_shrinks_weights(Softmax)


def test_predict_is_the_argmax_of_the_scores():
    check_predict(Softmax)


def test_diverging_training_raises_an_error_naming_the_learning_rate():
    check_diverging_training_names_the_learning_rate(Softmax)


def test_train_and_predict_reject_bad_input():
    check_train_rejects_bad_input(Softmax)


def test_train_refuses_non_finite_data():
    check_train_refuses_non_finite_data(Softmax)


def test_train_refuses_an_empty_batch():
    check_train_refuses_an_empty_batch(Softmax)


def test_train_refuses_a_bad_learning_rate():
    check_train_refuses_a_bad_learning_rate(Softmax)
