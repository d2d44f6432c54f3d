"""cs231n.gradient_check against functions whose gradients are known in closed form."""

import numpy as np
import pytest

from cs231n.gradient_check import eval_numerical_gradient, eval_numerical_gradient_array, grad_check_sparse, rel_error


@pytest.fixture
def rng():
    return np.random.default_rng(0)


def quadratic(A, b):
    """f(x) = x.A.x + b.x for a (3, 4) x flattened; gradient (A + A^T) x + b."""
    def f(x):
        v = x.ravel()
        return float(v @ A @ v + b @ v)

    def grad(x):
        return ((A + A.T) @ x.ravel() + b).reshape(x.shape)

    return f, grad


def test_rel_error_values():
    assert rel_error(np.ones(3), np.ones(3)) == 0.0
    assert rel_error(1.0, 3.0) == pytest.approx(0.5)
    assert rel_error(np.array([1.0, 1.0]), np.array([1.0, 3.0])) == pytest.approx(0.5)  # the largest entry
    assert rel_error(0.0, 1e-10) == pytest.approx(1e-2)  # tiny values are measured against 1e-8


def test_numerical_gradient_of_a_quadratic(rng):
    A, b = rng.standard_normal((12, 12)), rng.standard_normal(12)
    f, grad = quadratic(A, b)
    x = rng.standard_normal((3, 4))
    x_before = x.copy()
    numeric = eval_numerical_gradient(f, x, verbose=False)
    assert numeric.shape == x.shape
    assert rel_error(numeric, grad(x)) < 1e-8
    np.testing.assert_array_equal(x, x_before)  # every entry restored exactly


def test_numerical_gradient_is_centred(rng):
    # For x^3 at 1 with h = 1e-3 the centred difference is 3 + h^2 exactly; one-sided would give 3 + 3h + h^2.
    numeric = eval_numerical_gradient(lambda x: float(x[0] ** 3), np.array([1.0]), verbose=False, h=1e-3)
    assert numeric[0] == pytest.approx(3 + 1e-6, abs=1e-9)


def test_numerical_gradient_verbose_prints_each_entry(capsys):
    eval_numerical_gradient(lambda x: float(np.sum(x ** 2)), np.array([[1.0, 2.0]]), verbose=True)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[0].startswith("(0, 0)") and lines[1].startswith("(0, 1)")


def test_numerical_gradient_array_applies_the_chain_rule(rng):
    x, W = rng.standard_normal((4, 5)), rng.standard_normal((5, 3))
    dout = rng.standard_normal((4, 3))
    x_before = x.copy()
    numeric = eval_numerical_gradient_array(lambda x: x @ W, x, dout)
    assert numeric.shape == x.shape
    assert rel_error(numeric, dout @ W.T) < 1e-8
    np.testing.assert_array_equal(x, x_before)


def test_numerical_gradient_array_of_an_elementwise_function(rng):
    x, dout = rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 3, 4))
    numeric = eval_numerical_gradient_array(np.tanh, x, dout)
    assert rel_error(numeric, dout * (1 - np.tanh(x) ** 2)) < 1e-7


def test_functions_that_reuse_their_output_buffer(rng):
    # A layer that writes into one preallocated array returns the same object twice: f(x + h) must be copied
    # before f(x - h) overwrites it, or every difference would be zero.
    buffer = np.empty(6)

    def doubled(x):
        np.multiply(x, 2.0, out=buffer)
        return buffer

    x, dout = rng.standard_normal(6), rng.standard_normal(6)
    np.testing.assert_allclose(eval_numerical_gradient_array(doubled, x, dout), 2 * dout, rtol=1e-8)
    np.testing.assert_allclose(eval_numerical_gradient(lambda x: doubled(x).sum(), x, verbose=False),
                               np.full(6, 2.0), rtol=1e-8)


def test_grad_check_sparse_accepts_a_correct_gradient(rng, capsys):
    A, b = rng.standard_normal((12, 12)), rng.standard_normal(12)
    f, grad = quadratic(A, b)
    x = rng.standard_normal((3, 4))
    x_before = x.copy()
    errors = grad_check_sparse(f, x, grad(x), num_checks=7, seed=1)
    assert errors.shape == (7,) and np.all(errors < 1e-7)
    np.testing.assert_array_equal(x, x_before)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 7 and all("relative error" in line for line in lines)


def test_grad_check_sparse_flags_a_wrong_gradient(rng):
    A, b = rng.standard_normal((12, 12)), rng.standard_normal(12)
    f, grad = quadratic(A, b)
    x = rng.standard_normal((3, 4))
    errors = grad_check_sparse(f, x, 2 * grad(x), num_checks=5, seed=0, verbose=False)
    np.testing.assert_allclose(errors, 1 / 3, rtol=1e-5)  # |g - 2g| / (|g| + |2g|)


def test_grad_check_sparse_reports_each_entrys_own_error(rng):
    # Each entry of the analytic gradient is off by a different amount, so every reported error identifies the
    # entry it came from; it must match that entry's true relative error, and the checks must spread out.
    x = rng.uniform(1, 2, (2, 3))
    analytic = 2 * x + 1e-3 * np.arange(1, 7).reshape(2, 3)
    expected = np.abs(analytic - 2 * x) / (np.abs(analytic) + np.abs(2 * x))
    errors = grad_check_sparse(lambda x: float(np.sum(x ** 2)), x, analytic, num_checks=40, seed=0, verbose=False)
    matched = [int(np.argmin(np.abs(expected.ravel() - e))) for e in errors]
    np.testing.assert_allclose(errors, expected.ravel()[matched], rtol=1e-5)
    assert len(set(matched)) >= 4


def test_grad_check_sparse_is_reproducible(rng):
    f = lambda x: float(np.sum(np.sin(x)))  # noqa: E731
    x = rng.standard_normal((5, 5))
    slightly_off = np.cos(x) + 1e-4 * rng.standard_normal((5, 5))  # every entry has its own error
    first = grad_check_sparse(f, x, slightly_off, num_checks=6, seed=3, verbose=False)
    second = grad_check_sparse(f, x, slightly_off, num_checks=6, seed=3, verbose=False)
    np.testing.assert_array_equal(first, second)
    np.random.seed(5)
    legacy_first = grad_check_sparse(f, x, slightly_off, num_checks=6, verbose=False)
    np.random.seed(5)
    np.testing.assert_array_equal(grad_check_sparse(f, x, slightly_off, num_checks=6, verbose=False), legacy_first)


# --- issue 14, items 9 and 10 --------------------------------------------------------------------------------------


@pytest.mark.parametrize("helper", ["eval_numerical_gradient", "eval_numerical_gradient_array", "grad_check_sparse"])
def test_integer_arrays_are_refused(helper):
    # x + h in an integer array is truncated back to x: the "gradient" came out as 5e4, 1.5e5, 2.5e5 for x**2.
    x = np.array([1, 2, 3])
    f = {"eval_numerical_gradient": lambda: eval_numerical_gradient(lambda v: float((v ** 2).sum()), x, verbose=False),
         "eval_numerical_gradient_array": lambda: eval_numerical_gradient_array(lambda v: v ** 2, x, np.ones(3)),
         "grad_check_sparse": lambda: grad_check_sparse(lambda v: float((v ** 2).sum()), x, 2.0 * x, verbose=False)}
    with pytest.raises(ValueError, match=r"x must be an array of floats.*got dtype int.*x.astype\(float\)"):
        f[helper]()


def test_a_list_is_taken_as_floats():
    assert np.allclose(eval_numerical_gradient(lambda v: float((v ** 2).sum()), [1, 2, 3], verbose=False), [2, 4, 6])


def test_rel_error_refuses_different_shapes():
    with pytest.raises(ValueError, match=r"x and y must be arrays of the same shape; got \(3,\) and \(1,\)"):
        rel_error(np.ones(3), np.array([1.0]))
