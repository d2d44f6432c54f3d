"""cs231n.validation: every check returns the value in usable form or says what was expected, what arrived and how
to fix it, in one shape of message."""

import re

import numpy as np
import pytest

from cs231n import validation as check

MESSAGE = re.compile(r"^\S.* must be .+; got .+\.( .+)?$")


def message_of(call):
    with pytest.raises(ValueError) as info:
        call()
    text = str(info.value)
    assert MESSAGE.match(text), f"not in the '<name> must be ...; got ....' shape: {text!r}"
    return text


def test_rows_converts_integers_to_float_and_keeps_floats():
    rows = check.rows(np.arange(6, dtype=np.uint8).reshape(2, 3))
    assert rows.dtype == np.float64 and rows.tolist() == [[0, 1, 2], [3, 4, 5]]
    X = np.ones((2, 3), dtype=np.float32)
    assert check.rows(X) is X  # no copy of float data


@pytest.mark.parametrize("X, kwargs, words", [
    (np.zeros((2, 4, 4, 3)), {}, r"2-D array.*got shape \(2, 4, 4, 3\)\. Flatten.*reshape\(len\(X\), -1\)"),
    (np.zeros(5), {}, r"2-D array.*got shape \(5,\)\.$"),
    (np.zeros((2, 3)), {"dim": 4, "dim_fix": "Add the bias."},
     r"4 columns, \(N, 4\); got shape \(2, 3\)\. Add the bias"),
    (np.zeros((0, 3)), {}, r"at least one row; got an empty batch of shape \(0, 3\)"),
    (np.array([[1.0, np.nan], [np.inf, 2.0], [0, 0]]), {}, r"2 NaN or infinite value\(s\), the first in row 0"),
    (np.zeros((2, 2), dtype=complex), {}, "real numbers; got complex values"),
    (np.array([["a", "b"]]), {}, "an array of numbers; got dtype <U1"),
])
def test_rows_refuses(X, kwargs, words):
    assert re.search(words, message_of(lambda: check.rows(X, **kwargs)))


def test_rows_may_allow_an_empty_batch():
    assert check.rows(np.zeros((0, 3)), allow_empty=True).shape == (0, 3)


@pytest.mark.parametrize("y, num_classes, words", [
    (np.zeros(3, int), 4, r"4 labels, one per row; got shape \(3,\)"),
    (np.zeros(4), 4, "integer class labels; got dtype float64. Convert them with y.astype"),
    (np.array([0, 1, 4, 2]), 4, r"class labels in 0\.\.3 \(4 classes\); got labels from 0 to 4"),
    (np.array([0, -1, 1, 2]), None, r"got labels from -1 to 2"),
    (np.array([0, 1, 2, 2**40]), None, "at most 1,000,000; got labels from 0 to 1099511627776"),
])
def test_labels_refuses(y, num_classes, words):
    assert re.search(words, message_of(lambda: check.labels(y, 4, num_classes)))


def test_labels_accepts_any_integer_dtype():
    assert check.labels(np.array([0, 2], dtype=np.uint8), 2, 3).tolist() == [0, 2]


def test_loss_inputs_checks_all_four_and_names_the_bias_column():
    W, X, y = np.zeros((3, 2)), np.zeros((4, 3)), np.array([0, 1, 1, 0])
    out = check.loss_inputs(W, X, y, 2)
    assert out[3] == 2.0 and isinstance(out[3], float)
    assert "bias column" in message_of(lambda: check.loss_inputs(W, X[:, :2], y, 0.1))
    assert "reg must be a number >= 0; got -1" in message_of(lambda: check.loss_inputs(W, X, y, -1))


@pytest.mark.parametrize("value, kwargs, words", [
    (True, {}, "a finite number; got True"), ("1", {}, "a finite number; got '1'"),
    (float("nan"), {}, "a finite number; got nan"), (0.0, {"low": 0.0, "strict": True}, "a number > 0; got 0.0"),
    (-1, {"low": 0.0}, "a number >= 0; got -1"),
])
def test_number_refuses(value, kwargs, words):
    assert words in message_of(lambda: check.number(value, "x", **kwargs))


@pytest.mark.parametrize("value, words", [(2.5, "an integer from 1 to 5; got 2.5"), (True, "got True"),
                                          (0, "got 0"), (6, "got 6")])
def test_integer_refuses(value, words):
    assert words in message_of(lambda: check.integer(value, "k", 1, 5))
    assert check.integer(np.int64(3), "k", 1, 5) == 3


def test_same_shape_and_float_array():
    assert "x and y must be arrays of the same shape; got (3,) and (1,)" in message_of(
        lambda: check.same_shape(np.ones(3), np.ones(1)))
    assert "x.astype(float)" in message_of(lambda: check.float_array(np.arange(3)))
    x = np.ones(3)
    assert check.float_array(x) is x  # the caller's array: gradient helpers change it in place


def test_step_loss():
    assert check.step_loss(np.float32(1.5), 3, 0.1, 0.0) == 1.5
    with pytest.raises(ValueError, match="left loss as None"):
        check.step_loss(None, 3, 0.1, 0.0)
    with pytest.raises(FloatingPointError, match=r"diverged at iteration 3: the loss became inf.*\(0\.1\)"):
        check.step_loss(np.inf, 3, 0.1, 0.0)
