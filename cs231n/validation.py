"""Input checks for every classifier, loss and feature function, with one style of message.

Each check takes a value and the name the caller knows it by, and returns it in the form the code needs (an
array of a usable dtype, a float, an int), or raises ValueError in one shape:

    <name> must be <what was expected>; got <what arrived>. <how to fix it>

so a function a student reads starts with at most one short line of checking per argument.
"""

from numbers import Integral, Real

import numpy as np

# The largest class label accepted: kNN's vote counts labels with np.bincount, which allocates max(label) + 1
# counters, so a label of 2**40 would ask for 8 TiB.
MAX_LABEL = 1_000_000


def _fail(name, expected, got, fix=""):
    raise ValueError(f"{name} must be {expected}; got {got}." + (f" {fix}" if fix else ""))


def _numeric(array, name):
    """Refuse arrays of anything but real numbers (complex numbers would silently lose their imaginary part)."""
    if array.dtype.kind == "c":
        _fail(name, "an array of real numbers", f"complex values (dtype {array.dtype})",
              f"Pass the real part ({name}.real) or the magnitude (np.abs({name})) explicitly.")
    if array.dtype.kind not in "iuf":
        _fail(name, "an array of numbers", f"dtype {array.dtype}", "Convert it with np.asarray(..., dtype=float).")


def finite(array, name):
    """Raise a ValueError naming how many entries of `array` are NaN or infinite and the first row holding one."""
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        bad = ~np.isfinite(array)
        first = np.unravel_index(np.argmax(bad), array.shape)[0]
        _fail(name, "an array of finite numbers",
              f"{int(bad.sum())} NaN or infinite value(s), the first in row {first}",
              "Repair or drop those rows before using the data.")
    return array


def rows(X, name="X", dim=None, dim_fix="", allow_empty=False):
    """X as a 2-D float array (N, D): one flattened example per row, finite, integers converted to float64.

    Inputs:
    - X: array-like (N, D).
    - name: what the caller calls it, for messages.
    - dim: the number of columns required, or None for any.
    - dim_fix: the fix to suggest when the number of columns is wrong.
    - allow_empty: accept N = 0 (otherwise an empty batch is an error: a loss or a vote needs an example).
    Returns X as a float ndarray (integer pixels would wrap around when subtracted).
    """
    X = np.asarray(X)
    _numeric(X, name)
    if X.ndim != 2:
        fix = f"Flatten each example into a row with {name}.reshape(len({name}), -1)." if X.ndim > 2 else ""
        _fail(name, "a 2-D array (N, D), one example per row", f"shape {X.shape}", fix)
    if dim is not None and X.shape[1] != dim:
        _fail(name, f"an array with {dim} columns, (N, {dim})", f"shape {X.shape}", dim_fix)
    if X.shape[0] == 0 and not allow_empty:
        _fail(name, "a batch of at least one row", f"an empty batch of shape {X.shape}",
              "Pass at least one example (the loss and the accuracy average over the rows).")
    if X.dtype.kind != "f":
        X = X.astype(np.float64)
    return finite(X, name)


def labels(y, num_rows, num_classes=None, name="y"):
    """y as a 1-D integer array of num_rows class labels in 0..num_classes-1 (num_classes None: any label up to
    MAX_LABEL). Returns y as an ndarray of its own integer dtype."""
    y = np.asarray(y)
    if y.shape != (num_rows,):
        _fail(name, f"a 1-D array of {num_rows} labels, one per row", f"shape {y.shape}")
    if y.dtype.kind not in "iu":
        _fail(name, "integer class labels", f"dtype {y.dtype}", f"Convert them with {name}.astype(int).")
    if y.size:
        low, high = y.min(), y.max()
        top = (num_classes - 1) if num_classes is not None else MAX_LABEL
        if low < 0 or high > top:
            what = (f"class labels in 0..{num_classes - 1} ({num_classes} classes)" if num_classes is not None
                    else f"class labels in 0..C-1 with C at most {MAX_LABEL:,}")
            _fail(name, what, f"labels from {low} to {high}",
                  "Number the classes 0, 1, 2, ...: np.unique(y, return_inverse=True)[1] does it.")
    return y


def weights(W, name="W"):
    """W as a 2-D float array (D, C) of weights."""
    W = np.asarray(W)
    _numeric(W, name)
    if W.ndim != 2:
        _fail(name, "a 2-D array (D, C), one column of weights per class", f"shape {W.shape}")
    return W if W.dtype.kind == "f" else W.astype(np.float64)


def loss_inputs(W, X, y, reg):
    """The arguments of a linear classifier's loss: W (D, C), X (N, D) with N >= 1, y (N,) labels in 0..C-1,
    reg >= 0. Returns them checked and converted, in the same order."""
    W = weights(W)
    X = rows(X, dim=W.shape[0], dim_fix="X and W must agree on D (X is (N, D), W is (D, C)); did you forget the "
                                        "bias column, or add it twice?")
    return W, X, labels(y, X.shape[0], W.shape[1]), number(reg, "reg", low=0.0)


def number(value, name, low=None, strict=False):
    """A finite real number (not a bool) >= low (> low when strict), as a float."""
    if isinstance(value, bool) or not isinstance(value, Real) or not np.isfinite(value):
        _fail(name, "a finite number", repr(value))
    if low is not None and (value <= low if strict else value < low):
        _fail(name, f"a number {'>' if strict else '>='} {low:g}", repr(value))
    return float(value)


def integer(value, name, low=0, high=None, fix=""):
    """An int (not a bool) in low..high (high None: no upper bound); `fix` is added to the message."""
    expected = f"an integer from {low} to {high}" if high is not None else f"an integer >= {low}"
    if isinstance(value, bool) or not isinstance(value, Integral):
        _fail(name, expected, repr(value), fix)
    if value < low or (high is not None and value > high):
        _fail(name, expected, repr(value), fix)
    return int(value)


def same_shape(a, b, names=("x", "y")):
    """a and b as float64 arrays of one shape (broadcasting one against the other would hide a mismatch)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        _fail(f"{names[0]} and {names[1]}", "arrays of the same shape", f"{a.shape} and {b.shape}")
    return a, b


def float_array(x, name="x"):
    """x as an ndarray of floats, for code that adds small steps to it (an integer array would truncate them)."""
    x = np.asarray(x) if isinstance(x, np.ndarray) else np.asarray(x, dtype=np.float64)
    _numeric(x, name)
    if x.dtype.kind != "f":
        _fail(name, "an array of floats (a step of h is added to its entries)", f"dtype {x.dtype}",
              f"Pass {name}.astype(float): in an integer array x + h is truncated back to x.")
    return x


def images(imgs, name, rgb, batch):
    """A stack of images (batch) or one image as an array of numbers, finite.

    rgb=True wants (..., H, W, 3); rgb=False accepts (..., H, W) grayscale or (..., H, W, 3) RGB; batch=True wants
    a leading image axis (N, ...) with N >= 1.
    """
    imgs = np.asarray(imgs)
    if imgs.dtype == bool:
        imgs = imgs.astype(np.uint8)
    _numeric(imgs, name)
    lead = 1 if batch else 0
    rgb_shape, gray_shape = ("(N, H, W, 3)", "(N, H, W)") if batch else ("(H, W, 3)", "(H, W)")
    is_rgb = imgs.ndim == lead + 3 and imgs.shape[-1] == 3
    if rgb and not is_rgb:
        fix = "This looks like a grayscale image; pass the RGB image." if imgs.ndim == lead + 2 else ""
        _fail(name, f"{'a stack of RGB images' if batch else 'an RGB image'} {rgb_shape}, channels last",
              f"shape {imgs.shape}", fix)
    if not rgb and not (is_rgb or imgs.ndim == lead + 2):
        _fail(name, f"{'a stack of images' if batch else 'an image'} {rgb_shape} (RGB) or {gray_shape} (gray)",
              f"shape {imgs.shape}")
    if batch and imgs.shape[0] == 0:
        _fail(name, "a stack of at least one image", f"an empty stack of shape {imgs.shape}")
    return imgs


def step_loss(loss, iteration, learning_rate, reg):
    """The minibatch loss of one SGD step as a float, checked.

    Raises ValueError when the step did not set it (still None), and FloatingPointError when it is NaN or infinite:
    on data that is finite (trainers check it first) that means the run diverged.
    """
    if loss is None:
        raise ValueError(f"the SGD step of iteration {iteration} left loss as None; it must set loss to the "
                         "minibatch loss that the loss function returned, before the update")
    loss = float(loss)
    if not np.isfinite(loss):
        raise FloatingPointError(f"training diverged at iteration {iteration}: the loss became {loss}. The learning "
                                 f"rate ({learning_rate:g}) is too large for this data and reg={reg:g}; try one "
                                 "about 10 times smaller.")
    return loss
