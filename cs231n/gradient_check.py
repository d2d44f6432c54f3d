"""Numeric gradients by centred differences, for checking hand-derived (analytic) gradients.

The centred difference (f(x + h) - f(x - h)) / 2h has error O(h^2), against O(h) for the one-sided version,
so with h = 1e-5 a correct analytic gradient agrees to about 1e-8 relative error in float64 where f is smooth.
"""

import numpy as np

from cs231n import validation as check


def rel_error(x, y):
    """Largest elementwise relative error max |x - y| / max(1e-8, |x| + |y|); x and y of the same shape.

    Arrays of different shapes are an error: broadcasting one against the other would compare the wrong entries.
    """
    x, y = check.same_shape(x, y)
    return float(np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))))


def _each_index(x):
    return np.nditer(x, flags=["multi_index"], op_flags=[["readwrite"]])


def _nudge(f, x, ix, h):
    """Evaluate f at x with x[ix] moved by +h and by -h; x is restored. Returns (f(x+h), f(x-h)) as float64."""
    saved = x[ix]
    x[ix] = saved + h
    f_plus = np.array(f(x), dtype=np.float64)  # a copy: f may return a view of a buffer it reuses
    x[ix] = saved - h
    f_minus = np.array(f(x), dtype=np.float64)
    x[ix] = saved
    return f_plus, f_minus


def eval_numerical_gradient(f, x, verbose=True, h=1e-5):
    """Numeric gradient of a scalar function.

    Inputs:
    - f: a function of one argument returning a float; it reads x, which is changed in place.
    - x: float array of any shape, the point at which to take the gradient (restored before returning).
    - verbose: print each index and its partial derivative.
    - h: step size.

    Returns grad, an array of x's shape: grad[i] ~ df/dx[i].
    """
    x = check.float_array(x)
    grad = np.zeros_like(x, dtype=np.float64)
    for _ in (it := _each_index(x)):
        ix = it.multi_index
        f_plus, f_minus = _nudge(f, x, ix, h)
        grad[ix] = (f_plus - f_minus) / (2 * h)
        if verbose:
            print(ix, grad[ix])
    return grad


def eval_numerical_gradient_array(f, x, df, h=1e-5):
    """Numeric gradient through an array-valued function, for backpropagation checks.

    Inputs:
    - f: a function of one argument returning an array; it reads x, which is changed in place.
    - x: float array of any shape (restored before returning).
    - df: upstream gradient dL/df, of the shape f(x) returns.
    - h: step size.

    Returns grad of x's shape: grad[i] = sum(df * df/dx[i]), the chain rule with the upstream gradient.
    """
    x = check.float_array(x)
    grad = np.zeros_like(x, dtype=np.float64)
    for _ in (it := _each_index(x)):
        ix = it.multi_index
        f_plus, f_minus = _nudge(f, x, ix, h)
        grad[ix] = np.sum((f_plus - f_minus) * df) / (2 * h)
    return grad


def grad_check_sparse(f, x, analytic_grad, num_checks=10, h=1e-5, seed=None, verbose=True):
    """Compare an analytic gradient with the numeric one at a few random entries.

    Checking every entry of a (3073, 10) weight matrix would take 30730 pairs of loss evaluations; a handful
    of random entries finds almost every bug at a tiny fraction of the cost.

    Inputs:
    - f: a function of one argument returning a float; it reads x, which is changed in place.
    - x: float array of any shape (restored before returning).
    - analytic_grad: array of x's shape, the gradient to check.
    - num_checks: how many random entries to check.
    - h: step size.
    - seed: seed for choosing the entries (None uses the global numpy random state).
    - verbose: print one line per entry.

    Returns an array of shape (num_checks,) with the relative error at each checked entry.
    """
    x = check.float_array(x)
    pick = np.random.default_rng(seed).integers if seed is not None else np.random.randint
    errors = np.empty(num_checks)
    for k in range(num_checks):
        ix = tuple(int(pick(n)) for n in x.shape)
        f_plus, f_minus = _nudge(f, x, ix, h)
        numeric = float((f_plus - f_minus) / (2 * h))
        analytic = analytic_grad[ix]
        errors[k] = abs(numeric - analytic) / max(1e-12, abs(numeric) + abs(analytic))
        if verbose:
            print(f"numerical: {numeric:+.6e}  analytic: {analytic:+.6e}  relative error: {errors[k]:.2e}")
    return errors
