"""Diagnoses: what is wrong with a function a student wrote, told from what the function returns.

    from cs231n.diagnoses import diagnose
    diagnose("svm_loss_naive")         # Verdict(function='svm_loss_naive', status='ok', ...)

For every function named in `cs231n.parts` a *probe* runs the function on small problems written below as
literals and compares what comes back with three kinds of reference, none of them a solution:
- stored expected values (losses, distances, labels computed once and pasted here, like the assignment's toy
  loss 1.30378789133);
- numerical gradients of the student's own loss (centred differences), so a gradient is checked against the
  function it claims to differentiate;
- invariants: the loss with and without regularisation differs by reg * sum(W * W); duplicating every row
  leaves an averaged loss unchanged; softmax does not change when a row is shifted.
When a comparison fails, the probe looks for the fingerprint of a common mistake (a gradient exactly N times too
large, a loss exactly 1 too large, distances equal to the squares of the true ones, ...) and names it, with the
evidence and the fix. The source code is never read.

A probe stops at a failure that makes its later comparisons meaningless (a wrong forward pass, a loss that is not
finite at moderate scores), but goes on past findings that leave the rest measurable: the loss at large scores,
the regularisation of the loss and of the gradient, the data gradient. So a function with two independent
mistakes gets both named (Verdict.more holds all but the first).
"""

import contextlib
import importlib
import io
import linecache
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cs231n import parts
from cs231n.gradient_check import eval_numerical_gradient

ROOT = parts.ROOT


@dataclass(frozen=True)
class Verdict:
    """What the check found for one function.

    status: "ok" (every probe passed), "to write" (a stub still stands in the function) or "wrong".
    For "wrong": observed is the evidence with numbers, mistake the likely mistake in the student's terms (empty
    when the evidence matches no known mistake), fix what to change. The texts are empty for "ok" and "to write".
    """

    function: str
    status: str
    observed: str = ""
    mistake: str = ""
    fix: str = ""
    more: tuple = ()  # further findings, each an (observed, mistake, fix) triple

    def findings(self):
        """Every finding as an (observed, mistake, fix) triple, the first one first; none for "ok"/"to write"."""
        return ((self.observed, self.mistake, self.fix), *self.more) if self.status == "wrong" else ()


class _Wrong(Exception):
    """Raised by a probe: the function under test is wrong; the arguments become the Verdict's texts."""

    def __init__(self, observed, mistake="", fix=""):
        super().__init__(observed)
        self.observed, self.mistake, self.fix = observed, mistake, fix


@dataclass(frozen=True)
class _Probe:
    module: str  # "cs231n.classifiers.linear_svm"
    qualname: str  # "svm_loss_naive" or "TwoLayerNet.loss"
    run: object  # run(subject) -> None, or raises _Wrong
    section: str  # where the notebook explains it, for generic fixes


_PROBES = {}


def _probe(function, module, section):
    def register(run):
        _PROBES[function] = _Probe(module, function, run, section)
        return run
    return register


def probed_functions():
    """The names diagnose() knows: every function of every Part in cs231n.parts."""
    return tuple(_PROBES)


class _Subject:
    """The code under test: the real function, looked up now (so a reloaded module is what gets tested), or impl."""

    def __init__(self, probe, impl):
        self.probe, self.impl = probe, impl
        self.name = probe.qualname
        self.findings = []  # _Wrong of the independent groups of probes that failed

    @contextlib.contextmanager
    def independent(self):
        """A group of probes whose outcome leaves the later ones meaningful: a finding is recorded, the probe goes
        on."""
        try:
            yield
        except _Wrong as wrong:
            self.findings.append(wrong)

    def module(self):
        return importlib.import_module(self.probe.module)

    def function(self):
        """A module-level function under test."""
        return self.impl if self.impl is not None else getattr(self.module(), self.name)

    def cls(self, **overrides):
        """A throw-away subclass of the class under test, with impl installed and `overrides` (helpers the probe
        replaces so that only the function under test runs); the real class is never modified."""
        clsname, method = self.name.split(".")
        base = getattr(self.module(), clsname)
        namespace = dict(overrides)
        if self.impl is not None:
            namespace[method] = self.impl
        return type(f"Checked{clsname}", (base,), namespace)

    def generic_fix(self):
        return f"compare your code with {self.probe.section}"


def diagnose(function, impl=None):
    """Run the probes of `function` (a name from parts.Part.functions) and return a Verdict.

    impl, optional, replaces the code under test: for a module function a callable with the same signature, for
    a method a plain function taking self first (installed on a throw-away subclass). Without it the function is
    looked up in its module at call time.

    Nothing the student's code does escapes: exceptions, NaN, warnings and prints are caught, and numpy's global
    random state is the same after the call as before. A name that is not a student function is a ValueError.
    """
    probe = _PROBES.get(function)
    if probe is None:
        raise ValueError(f"no probe for {function!r}; the functions a student writes are "
                         f"{', '.join(_PROBES)}")
    subject = _Subject(probe, impl)
    state = np.random.get_state()
    last = None
    try:
        with _quiet():
            probe.run(subject)
    except _Wrong as wrong:
        last = wrong
    except (Exception, SystemExit) as exc:
        if parts.stub_name(exc) is None:
            last = _from_exception(subject, exc)
        elif not subject.findings:
            return Verdict(function, "to write")
    finally:
        np.random.set_state(state)
    found = subject.findings + ([last] if last is not None else [])
    if not found:
        return Verdict(function, "ok")
    first, *more = found
    return Verdict(function, "wrong", first.observed, first.mistake, first.fix,
                   tuple((w.observed, w.mistake, w.fix) for w in more))


@contextlib.contextmanager
def _quiet():
    """No numpy warning, no Python warning, no print of the student's code reaches the caller."""
    with np.errstate(all="ignore"), warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        yield


# ------------------------------------------------------------------------------------ exceptions


def _from_exception(subject, exc):
    """A "wrong" Verdict for an exception raised while the student's code ran."""
    if isinstance(exc, SyntaxError) and exc.filename and exc.lineno:  # a module that does not parse
        where = f"{_show_path(exc.filename)}:{exc.lineno}"
        code = (exc.text or "").strip()
        return Verdict(subject.name, "wrong", f"{type(exc).__name__}: {exc.msg} (at {where}" +
                       (f": {code})" if code else ")"), "the module does not parse, so none of its code can run",
                       f"fix the syntax at {where} (indentation counts in Python)")
    message = re.sub(r" at 0x[0-9a-fA-F]+", "", str(exc)).strip()
    message = message if len(message) <= 300 else message[:297] + "..."
    text = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    frame = _student_frame(subject, exc)
    if frame is None:
        return Verdict(subject.name, "wrong",
                       f"{subject.name} returned something the check cannot use ({text})",
                       "", f"return what the docstring asks for, with the shapes it gives; {subject.generic_fix()}")
    filename, lineno = frame
    where = _show_path(filename) + f":{lineno}"
    code = linecache.getline(filename, lineno).strip()
    observed = f"{text} (raised at {where}" + (f": {code})" if code else ")")
    mistake, fix = _explain(exc, message)
    return Verdict(subject.name, "wrong", observed, mistake,
                   fix or f"fix the line at {where}; the task box above the code says what to compute")


def _student_frame(subject, exc):
    """(filename, lineno) of the last traceback frame in the student's code: the impl's file or cs231n/classifiers;
    failing that, the last frame in cs231n/ outside this module. None when every frame is this module's."""
    own = {Path(__file__).resolve()}
    impl_file = getattr(getattr(subject.impl, "__code__", None), "co_filename", None)
    student_dir = ROOT / "cs231n" / "classifiers"
    best = fallback = None
    tb = exc.__traceback__
    while tb is not None:
        filename, lineno = tb.tb_frame.f_code.co_filename, tb.tb_lineno
        path = Path(filename).resolve() if not filename.startswith("<") else None
        if filename == impl_file or (path is not None and path.is_relative_to(student_dir)):
            best = (filename, lineno)
        elif path is not None and path.is_relative_to(ROOT / "cs231n") and path not in own:
            fallback = (filename, lineno)
        tb = tb.tb_next
    return best or fallback


def _show_path(filename):
    if filename.startswith("<"):
        return filename
    path = Path(filename).resolve()
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name


def _explain(exc, message):
    """(mistake, fix) for the errors students meet most, from the exception alone; ("", "") otherwise."""
    shapes = re.search(r"broadcast together with shapes \((\d+),(\d*)\) \((\d+),(\d*)\)", message)
    if shapes:
        a, b = (shapes.group(1), shapes.group(2)), (shapes.group(3), shapes.group(4))
        if (not a[1] and b[1] and a[0] == b[0]) or (not b[1] and a[1] and a[0] == b[0]):
            return ("a value per row (a max, a sum or a norm) has shape (N,), and an (N,) vector does not broadcast "
                    "against an (N, M) matrix: numpy lines it up with the columns, not the rows",
                    "keep it a column of shape (N, 1): np.max/np.sum with keepdims=True, or index it with [:, None]")
        return ("two arrays whose shapes do not broadcast are combined",
                "print the shapes of both operands; reshape one of them or use keepdims=True")
    if "core dimension" in message or "not aligned" in message:
        return ("a matrix product of arrays whose inner sizes differ",
                "write the shape next to each factor (X is (N, D), W is (D, C)); transpose where the inner sizes "
                "do not match")
    if "boolean index did not match" in message:
        return ("a boolean mask of another array's shape is used as an index",
                "build the mask from an array of the same shape as the one it indexes (for the ReLU: dhidden and "
                "hidden are both (N, H))")
    if "arrays used as indices must be of integer" in message or "only integers, slices" in message:
        return ("an index holds floats", "indices must be integers: convert with .astype(int)")
    if isinstance(exc, IndexError) and "out of bounds" in message:
        return ("an index runs past the end of an axis", "check which axis is which: rows are examples, columns are "
                "classes (or training examples, for distances)")
    if "left loss as None" in message:
        return ("the SGD step does not set loss", "assign the minibatch loss: loss, grad = self.loss(...)")
    if isinstance(exc, (NameError, UnboundLocalError)):
        return ("the code uses a name that is not defined where it runs",
                "use the variables the task box names, or define this one first")
    if isinstance(exc, TypeError) and "NoneType" in message:
        return ("a variable is still None where a number or an array is needed",
                "set it before it is used (the task box names what to compute)")
    if "setting an array element with a sequence" in message:
        return ("a whole array is assigned where one number goes", "assign one number per entry, or a row to a row")
    return "", ""


# ------------------------------------------------------------------------------------ helpers


def _num(x):
    """A number for a message: 4 significant digits."""
    return f"{float(x):.4g}"


def _array(value, what, shape=None):
    """value as a float ndarray, of `shape` when given; _Wrong otherwise."""
    if value is None:
        raise _Wrong(f"{what} is None", "the code that should set it did not run or did not assign it",
                     "assign the result to the variable the task box names")
    try:
        array = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise _Wrong(f"{what} is {type(value).__name__}, not an array of numbers") from None
    if shape is not None and array.shape != tuple(shape):
        raise _Wrong(f"{what} has shape {array.shape}, expected {tuple(shape)}")
    return array


def _scalar(value, what):
    array = _array(value, what)
    if array.size != 1:
        raise _Wrong(f"{what} is an array of shape {array.shape}, expected one number",
                     "the per-example losses are not reduced to one number",
                     "average them over the N examples (sum, then divide by N)")
    return float(array.reshape(()))


def _pair(result, name, first):
    """The two values of a (loss, grad) return; _Wrong naming what came back otherwise."""
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        got = "None" if result is None else (f"a {type(result).__name__} of {len(result)} items"
                                             if isinstance(result, (tuple, list)) else type(result).__name__)
        raise _Wrong(f"{name} returned {got}, expected a pair ({first}, gradient)", "",
                     f"return both: return {first}, {'grads' if first == 'loss' and '.' in name else 'dW'}")
    return result


def _err(a, b):
    """Relative difference of two arrays, scaled by the larger of them (0 when both are 0)."""
    scale = max(float(np.max(np.abs(a), initial=0.0)), float(np.max(np.abs(b), initial=0.0)))
    return 0.0 if scale == 0 else float(np.max(np.abs(a - b))) / scale


def _ratio(a, b, tol=1e-6):
    """c when a == c * b for one number c (b not all zero), else None."""
    bb = float(np.sum(b * b))
    if bb == 0 or not np.all(np.isfinite(a)):
        return None
    c = float(np.sum(a * b)) / bb
    return c if _err(a, c * b) < tol else None


def _same(a, b, tol=1e-8):
    return a.shape == b.shape and bool(np.all(np.isfinite(a))) and _err(a, b) < tol


def _near(x, target, tol=1e-8):
    return np.isfinite(x) and abs(x - target) <= tol * max(1.0, abs(target))


def _unchanged(before, after, name):
    """_Wrong when an input was changed: before and after map the inputs' names to their values."""
    for key in before:
        if not np.array_equal(before[key], after.get(key)):
            raise _Wrong(f"{name} changed its input {key} in place",
                         f"an in-place operation (-=, +=, *=) on {key} or on a view of it",
                         f"compute into a new array ({key} - ..., not {key} -= ...), or work on {key}.copy()")


def _numerical_grad(f, x):
    """Centred-difference gradient of the scalar function f at x (x is restored)."""
    return eval_numerical_gradient(lambda _: f(), x, verbose=False)


def _one_hot(y, C):
    return np.eye(C)[y]


# ------------------------------------------------------------------------------------ kNN

# Six training rows and four test rows of three features; test row 3 repeats training row 2 (distance 0, where the
# no-loop expansion ||a||^2 - 2 a.b + ||b||^2 rounds to about -3.6e-15).
KNN_TRAIN = np.array([[0.2, -0.9, -0.8], [-0.8, 2.9, 0.8], [0.8, -1.4, -2.8], [-2.3, -2.7, 2.1], [-2.9, 2.9, 2.0],
                      [1.7, -2.7, -1.8]])
KNN_TEST = np.array([[2.1, -0.4, 0.8], [-2.3, -1.9, 0.0], [1.6, 0.2, -2.4], [0.8, -1.4, -2.8]])
# The squared L2 distances, exact to two decimals; the distances are their square roots.
KNN_SQUARED = np.array([[6.42, 19.3, 15.65, 26.34, 37.33, 12.21], [7.89, 25.93, 17.7, 5.05, 27.4, 19.88],
                        [5.73, 23.29, 3.36, 43.87, 46.9, 8.78], [4.61, 34.01, 0.0, 35.31, 55.22, 3.5]])

_KNN = "cs231n.classifiers.k_nearest_neighbor"
_KNN_NB = "notebooks/knn.ipynb"


def _knn_with(subject, X_train, y_train):
    knn = subject.cls()()
    knn.X_train, knn.y_train = X_train, y_train
    return knn


def _distance_probe(method):
    def run(subject):
        name = subject.name
        knn = _knn_with(subject, KNN_TRAIN.copy(), np.arange(6))
        X = KNN_TEST.copy()
        dists = getattr(knn, method)(X)
        _unchanged({"X": KNN_TEST, "self.X_train": KNN_TRAIN}, {"X": X, "self.X_train": knn.X_train}, name)
        dists = _array(dists, "dists")
        expected = np.sqrt(KNN_SQUARED)
        shape = expected.shape
        if dists.shape == shape[::-1]:
            raise _Wrong(f"dists has shape {dists.shape} for 4 test rows and 6 training rows; expected (4, 6)",
                         "rows and columns are swapped: dists[i, j] must belong to test row i and training row j",
                         "make dists (num_test, num_train): the test rows index the rows")
        if dists.shape != shape:
            raise _Wrong(f"dists has shape {dists.shape} for 4 test rows and 6 training rows; expected (4, 6)",
                         "", subject.generic_fix())
        bad = ~np.isfinite(dists)
        if bad.any():
            where = tuple(int(i) for i in np.argwhere(bad)[0])
            if np.all(expected[bad] == 0) and _same(np.where(bad, 0.0, dists), expected, 1e-6):
                raise _Wrong(f"dists{list(where)} is {dists[where]}, where the test row equals the training row "
                             "(distance 0); every other distance is right",
                             "rounding leaves ||a||^2 - 2 a.b + ||b||^2 a tiny negative number (here about -4e-15) "
                             "where it should be 0, and np.sqrt of a negative number is nan",
                             "clamp at 0 before the square root: np.sqrt(np.maximum(squared, 0))")
            raise _Wrong(f"dists{list(where)} is {dists[where]}; distances are finite", "", subject.generic_fix())
        if np.max(np.abs(dists - expected)) < 1e-6:
            return
        first = f"dists[0, 0] is {_num(dists[0, 0])}, expected {_num(expected[0, 0])}"
        diff = KNN_TEST[:, None, :] - KNN_TRAIN[None, :, :]
        if np.max(np.abs(dists - KNN_SQUARED)) < 1e-6:
            raise _Wrong(f"{first}: every entry is the square of the L2 distance ({_num(expected[0, 0])}^2 = "
                         f"{_num(KNN_SQUARED[0, 0])})",
                         "the square root is missing: this is the squared distance",
                         "take np.sqrt of the sum of squared differences")
        if np.max(np.abs(dists - np.abs(diff).sum(axis=2))) < 1e-6:
            raise _Wrong(f"{first}: every entry is the L1 distance, the sum of absolute differences",
                         "the L1 distance (sum of |a - b|) is computed instead of the L2 distance",
                         "square the differences, sum them, then take the square root")
        if np.max(np.abs(dists - np.abs(diff.sum(axis=2)))) < 1e-6:
            raise _Wrong(f"{first}: every entry is |sum(a - b)|, the differences summed before squaring",
                         "the differences are summed first and the sum squared, so positive and negative "
                         "differences cancel", "square each difference, then sum: np.sum((a - b) ** 2)")
        sums = KNN_TEST[:, None, :] + KNN_TRAIN[None, :, :]
        if np.max(np.abs(dists - np.sqrt((sums * sums).sum(axis=2)))) < 1e-6:
            raise _Wrong(f"{first}: every entry is ||a + b||, not ||a - b||",
                         "the cross term has the wrong sign: ||a - b||^2 = ||a||^2 - 2 a.b + ||b||^2",
                         "subtract 2 X X_train^T, do not add it")
        i, j = np.unravel_index(np.argmax(np.abs(dists - expected)), shape)
        raise _Wrong(f"dists[{i}, {j}] is {_num(dists[i, j])}, expected {_num(expected[i, j])} (the check's 4 test "
                     "rows against 6 training rows)", "", subject.generic_fix())
    return run


_probe("KNearestNeighbor.compute_distances_two_loops", _KNN, f'"Distances, version 1: two loops" in {_KNN_NB}')(
    _distance_probe("compute_distances_two_loops"))
_probe("KNearestNeighbor.compute_distances_one_loop", _KNN, f'"Distances, version 2: one loop" in {_KNN_NB}')(
    _distance_probe("compute_distances_one_loop"))

_no_loop_values = _distance_probe("compute_distances_no_loops")


@_probe("KNearestNeighbor.compute_distances_no_loops", _KNN, f'"Distances, version 3: no loops" in {_KNN_NB}')
def _no_loops(subject):
    _no_loop_values(subject)
    # The memory: 20 test rows, 200 training rows, 400 features. A (20, 200, 400) temporary is 12.8 MB; the
    # expansion needs a few (20, 200) arrays, 32 kB each.
    import tracemalloc

    if tracemalloc.is_tracing():  # someone else is measuring: leave their measurement alone
        return
    rng = np.random.RandomState(0)
    X_train, X = rng.randn(200, 400), rng.randn(20, 400)
    knn = _knn_with(subject, X_train, np.zeros(200, dtype=np.int64))
    tracemalloc.start()
    try:
        knn.compute_distances_no_loops(X)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    if peak > 6_400_000:
        raise _Wrong(f"for 20 test rows, 200 training rows and 400 features it used {peak / 1e6:.0f} MB at once; "
                     "a (20, 200, 400) array of differences takes 12.8 MB",
                     "the differences are broadcast to a (num_test, num_train, D) array: on CIFAR-10 (500 test rows, "
                     "5000 training rows, 3072 features) that is 61 GB",
                     "expand ||a - b||^2 = ||a||^2 - 2 a.b + ||b||^2: one matrix product and two vectors of "
                     "squared norms, all (num_test, num_train) or smaller (see \"Why not broadcast all the way?\")")


# predict_labels: 8 training labels and distance rows whose nearest neighbours carry the labels noted.
VOTE_LABELS = np.array([2, 0, 3, 1, 3, 1, 0, 2])
VOTES = (
    # (case, k, dists, expected labels)
    # k = 1: the nearest have labels 3, 2, 0 (the farthest 0, 3, 1)
    ("nearest", 1, np.array([[5.0, 9.0, 3.0, 6.0, 1.0, 7.0, 4.0, 8.0], [2.5, 4.5, 8.5, 3.5, 6.5, 5.5, 7.5, 0.5],
                             [3.2, 1.2, 2.2, 5.2, 4.2, 9.2, 6.2, 7.2]]), [3, 2, 0]),
    # k = 3: the three nearest have labels (1, 2, 2), (0, 3, 0), (3, 1, 1)
    ("majority", 3, np.array([[2.0, 7.0, 6.0, 1.0, 5.0, 8.0, 4.0, 3.0], [5.0, 1.0, 2.0, 6.0, 7.0, 4.0, 3.0, 8.0],
                              [6.0, 5.0, 7.0, 2.0, 1.0, 3.0, 8.0, 4.0]]), [2, 0, 1]),
    # tied votes, k = 2: the nearest labels are (3, 1) and (1, 3); both votes go to 1
    ("tie", 2, np.array([[4.0, 6.0, 1.0, 5.0, 7.0, 2.0, 3.0, 8.0], [5.0, 6.0, 7.0, 1.0, 2.0, 4.0, 3.0, 8.0]]),
     [1, 1]),
    # tied votes, k = 4: the nearest labels are (2, 0, 0, 2) and (0, 2, 2, 0); both votes go to 0
    ("tie", 4, np.array([[1.0, 2.0, 6.0, 7.0, 8.0, 5.0, 3.0, 4.0], [2.0, 4.0, 8.0, 6.0, 7.0, 5.0, 1.0, 3.0]]),
     [0, 0]),
    # equal distances, k = 1: training points 1 (label 0) and 2 (label 3) are both nearest; the lower index wins
    ("equal", 1, np.array([[3.0, 1.0, 1.0, 5.0, 6.0, 7.0, 8.0, 9.0]]), [0]),
)
TIES = {2: ("(3, 1) and (1, 3), one vote each", [3, 3], [3, 1]),  # k: (nearest labels, larger-label and
        4: ("(2, 0, 0, 2) and (0, 2, 2, 0), two votes each", [2, 2], [2, 0])}  # nearest-first outcomes


def _labels(value, n, what="y_pred"):
    pred = _array(value, what)
    if pred.shape != (n,):
        raise _Wrong(f"{what} has shape {pred.shape} for {n} rows, expected ({n},)")
    return pred


def _show(labels):
    return ", ".join(str(int(v)) if float(v).is_integer() else _num(v) for v in labels)


@_probe("KNearestNeighbor.predict_labels", _KNN, f'"Predicting labels" in {_KNN_NB}')
def _predict_labels(subject):
    knn = _knn_with(subject, np.zeros((8, 1)), VOTE_LABELS.copy())
    for case, k, dists, expected in VOTES:
        d = dists.copy()
        pred = _labels(knn.predict_labels(d, k=k), len(dists))
        _unchanged({"dists": dists}, {"dists": d}, subject.name)
        if not np.array_equal(pred, expected):
            _wrong_vote(subject, case, k, dists, expected, pred)


def _wrong_vote(subject, case, k, dists, expected, pred):
    observed = f"with k = {k} it predicted {_show(pred)}, expected {_show(expected)}"
    fix = "take the first k indices of np.argsort(dists[i]) (nearest first) and count their labels"
    if case == "nearest" and np.array_equal(pred, VOTE_LABELS[np.argmax(dists, axis=1)]):
        raise _Wrong(f"{observed}: the labels of the farthest training points",
                     "the vote takes the largest distances instead of the smallest",
                     "np.argsort sorts from the smallest distance up: take its first k indices")
    if case == "majority" and np.array_equal(pred, VOTE_LABELS[np.argmin(dists, axis=1)]):
        raise _Wrong(f"{observed}: {_show(pred)} are the labels of the single nearest neighbours, while the three "
                     "nearest have labels (1, 2, 2), (0, 3, 0), (3, 1, 1)",
                     "k is ignored: only the nearest neighbour votes", fix)
    if case == "tie":
        pair, larger, first = TIES[k]
        if list(pred) == larger:
            raise _Wrong(f"{observed}: the nearest labels are {pair}, and the tie went to the larger label",
                         "a tied vote goes to the larger label; ties go to the smaller one",
                         "np.argmax(np.bincount(closest_y)) returns the first, so the smallest, of equally common "
                         "labels")
        if list(pred) == first:
            raise _Wrong(f"{observed}: the nearest labels are {pair}, and the tie went to the label of the nearest "
                         "neighbour", "a tied vote goes to the label counted first (the nearest neighbour's); ties "
                         "go to the smaller label", "np.argmax(np.bincount(closest_y)) returns the smallest of "
                         "equally common labels")
    if case == "equal":
        raise _Wrong(f"{observed}: training points 1 (label 0) and 2 (label 3) are equally near, and the lower "
                     "index comes first",
                     "equally distant training points are not taken in index order",
                     "sort with a stable sort, np.argsort(dists, axis=1, kind=\"stable\"), so the lower index comes "
                     "first")
    raise _Wrong(f"{observed} (training labels {_show(VOTE_LABELS)}, distances in the check's table)", "",
                 subject.generic_fix())


# ------------------------------------------------------------------------------------ linear losses


@dataclass(frozen=True)
class _Problem:
    W: np.ndarray
    X: np.ndarray
    y: np.ndarray
    loss: float  # the loss at reg = 0


# SVM: D = 3, C = 4, N = 5. Examples 0 and 1 (class 0) have 3 and 2 classes with a positive margin, class 0 has
# none for the other examples; every margin is at least 0.05 away from 0 (the numerical gradient stays exact).
SVM_PROBLEM = _Problem(
    W=np.array([[0.3, 0.8, 0.6, -0.5], [-0.4, 0.7, -1.0, 0.6], [0.6, -0.1, -0.4, -0.4]]),
    X=np.array([[-1.0, -0.2, 0.0], [0.2, 2.0, 1.2], [0.5, 2.0, -1.1], [-1.4, 0.5, -1.8], [-1.9, 0.1, -0.1]]),
    y=np.array([0, 0, 1, 2, 3]),
    loss=2.33,
)
SVM_LOSS_WITHOUT_MARGIN = 1.0139999999999998  # the same hinge sum with delta = 0
SVM_LOSS_WITHOUT_MAX = 0.4759999999999998  # every margin summed, negative ones too
# Softmax: D = 3, C = 4, N = 5, moderate scores.
SOFTMAX_PROBLEM = _Problem(
    W=np.array([[-0.8, -0.5, 0.6, 0.2], [-0.8, -0.1, 0.3, -0.7], [0.5, -0.8, -0.2, -0.4]]),
    X=np.array([[-0.3, 0.3, 1.0], [1.8, -0.9, 0.6], [0.8, -0.8, -2.0], [1.9, -0.8, -0.7], [1.6, 0.3, -0.1]]),
    y=np.array([0, 1, 3, 1, 2]),
    loss=1.448187515755201,
)
REG = 0.1

# Large scores for the softmax (C = 6, two rows each), with the loss they give:
NEG = -1000.0
LARGE_SCORES = (
    # "b": each row's maximum, about 712 (exp overflows above 709.78), stands in column 5; the rest far below
    ("b", np.array([[NEG, NEG + 1, NEG - 1, NEG + 0.5, 710.5, 712.0], [NEG - 1, NEG, NEG + 0.5, NEG, 711.0, 712.5]]),
     np.array([5, 4]), 0.9514132779827378),
    # "c": the same values with the maximum in column 0 or 1
    ("c", np.array([[712.0, 710.5, NEG, NEG + 1, NEG - 1, NEG + 0.5], [711.0, 712.5, NEG - 1, NEG, NEG + 0.5, NEG]]),
     np.array([0, 0]), 0.9514132779827378),
    # "d": one row about +400, the other about -400
    ("d", np.array([[400.0, 398.5, 399.0, 397.0, 396.0, 401.0], [-400.0, -401.0, -399.5, -402.0, -403.0, -398.0]]),
     np.array([5, 2]), 1.1682186668301995),
    # "e": the correct class of row 0 scores 800 below the row's maximum
    ("e", np.array([[800.0, 0.0, 1.0, 2.0, 0.5, -1.0], [0.5, 1.0, -0.5, 2.0, 1.5, 0.0]]), np.array([1, 3]),
     400.44084147431226),
)


def _large_score_checks(evaluate):
    """Softmax at large scores. evaluate(scores, y) -> (loss, [gradient arrays]) with the scores exact."""
    results = {}
    for key, scores, y, expected in LARGE_SCORES:
        loss, grads = evaluate(scores, y)
        results[key] = loss
        if not _near(loss, expected, 1e-9):
            _wrong_large_scores(key, loss, expected, results)
        if not all(np.all(np.isfinite(g)) for g in grads):
            raise _Wrong(f"the loss is right ({_num(loss)}) for scores of about {_num(np.max(scores))}, but the "
                         "gradient holds nan or inf",
                         "the gradient takes exp() of scores that are not shifted, and exp overflows",
                         "compute the probabilities for the gradient from the shifted scores, as the loss does")


def _wrong_large_scores(key, loss, expected, results):
    shown = _num(loss) if np.isfinite(loss) else str(loss)
    if key == "b":
        raise _Wrong(f"loss is {shown}, expected {_num(expected)}, for scores whose rows reach about 712 "
                     "(exp overflows above 709.78); the loss is right at moderate scores",
                     "the scores are not shifted by each row's maximum before exp()",
                     "subtract each row's largest score before exp() (np.max(..., axis=1, keepdims=True) for "
                     "a matrix); the probabilities do not change")
    if key == "c":
        raise _Wrong(f"the loss is right ({_num(results['b'])}) when each row's largest score, about 712, stands "
                     f"in column 4 or 5, but {shown} when it stands in column 0 or 1: the shift depends on where "
                     "the maximum is, not on its value",
                     "the scores are shifted by each row's argmax (a column index) instead of its max (the "
                     "largest score)",
                     "subtract the largest score, np.max(scores, axis=1, keepdims=True), not np.argmax")
    if key == "d":
        raise _Wrong(f"loss is {shown}, expected {_num(expected)}, for one row of scores about +400 and one "
                     "about -400",
                     "the scores are shifted by the largest score of the whole matrix, not of each row: a row "
                     "far below it gives exp() = 0 everywhere and log(0) = -inf",
                     "take the maximum of each row: np.max(scores, axis=1, keepdims=True)")
    raise _Wrong(f"loss is {shown}, expected {_num(expected)}, when the correct class scores 800 below the "
                 "largest score of its row",
                 "the loss takes -log of a probability that underflows to 0 (exp(-800)), which is inf (an "
                 "epsilon added inside the log caps it instead)",
                 "work with log-probabilities: log p = shifted - log(sum(exp(shifted))), then -log p[y]")


def _loss_probe(kind):
    svm = kind == "svm"
    problem = SVM_PROBLEM if svm else SOFTMAX_PROBLEM

    def run(subject):
        fn, name = subject.function(), subject.name
        P = problem
        N = len(P.y)

        def call(W, X, y, reg):
            W0, X0, y0 = W.copy(), X.copy(), y.copy()
            loss, dW = _pair(fn(W, X, y, reg), name, "loss")
            _unchanged({"W": W0, "X": X0, "y": y0}, {"W": W, "X": X, "y": y}, name)
            return _scalar(loss, "loss"), _array(dW, "dW", W.shape)

        loss0, dW0 = call(P.W.copy(), P.X.copy(), P.y.copy(), 0.0)
        if not np.isfinite(loss0):
            raise _Wrong(f"loss is {loss0} at reg=0 on 5 examples with moderate scores", "", subject.generic_fix())
        with subject.independent():
            if not _near(loss0, P.loss, 1e-8):
                _wrong_data_loss(subject, call, loss0, P, svm)

        loss_r, dW_r = call(P.W.copy(), P.X.copy(), P.y.copy(), REG)
        with subject.independent():
            _check_reg_loss(subject, loss_r - loss0, REG, {"W": P.W})

        if not svm:
            def evaluate(scores, y):
                loss, dW = call(scores.copy(), np.eye(len(scores)), y.copy(), 0.0)
                return loss, [dW]
            with subject.independent():
                _large_score_checks(evaluate)

        # The gradients are compared with the numerical gradient of the student's own loss, so they stay
        # measurable whatever the findings above.
        W = P.W.copy()
        numeric = _numerical_grad(lambda: _scalar(_pair(fn(W, P.X.copy(), P.y.copy(), 0.0), name, "loss")[0],
                                                  "loss"), W)
        if not np.all(np.isfinite(dW0)):
            raise _Wrong("dW holds nan or inf at reg=0 on 5 examples with moderate scores", "", subject.generic_fix())
        with subject.independent():
            if _err(dW0, numeric) > 1e-6:
                _wrong_data_grad(subject, dW0, numeric, P, svm)
        _check_reg_grad(subject, {"dW": dW_r - dW0}, REG, {"dW": P.W}, N)
    return run


def _wrong_data_loss(subject, call, loss, P, svm):
    N = len(P.y)
    observed = f"loss {_num(loss)} at reg=0 on the check's {N} examples, expected {_num(P.loss)}"
    twice, _ = call(P.W.copy(), np.vstack([P.X, P.X]), np.concatenate([P.y, P.y]), 0.0)
    if np.isfinite(loss) and loss != 0 and _near(twice, 2 * loss, 1e-8):
        raise _Wrong(f"{observed}; with every example twice it doubles to {_num(twice)}, where a mean stays the "
                     "same", "the loss is summed over the examples, not averaged",
                     "divide the summed loss by N (the number of examples)")
    if svm and _near(loss, P.loss + 1.0):
        raise _Wrong(f"{observed}: exactly 1 (the margin delta) too large, once per example",
                     "the hinge sum also counts the correct class, which adds max(0, s_y - s_y + 1) = 1 per example",
                     "skip j == y[i] in the loop over classes (vectorised: set the margins at the true classes to 0)")
    if svm and _near(loss, SVM_LOSS_WITHOUT_MARGIN):
        raise _Wrong(f"{observed}: the loss of margins without the + 1", "the margin delta = 1 is missing",
                     "each margin is s_j - s_y + 1")
    if svm and _near(loss, SVM_LOSS_WITHOUT_MAX):
        raise _Wrong(f"{observed}: the sum of every margin, the negative ones too",
                     "max(0, ...) is missing: negative margins lower the loss",
                     "add only the positive margins: max(0, s_j - s_y + 1)")
    if _near(loss, -P.loss):
        raise _Wrong(f"{observed}: the right value with the wrong sign", "the loss is log p[y], not -log p[y]",
                     "negate it: the loss is -log of the correct class's probability")
    raise _Wrong(observed, "", subject.generic_fix())


def _check_reg_loss(subject, increase, reg, weights, N=5):
    """The loss at reg minus the loss at 0 must be reg * (sum of squared weights); weights: {name: array}."""
    names = " + ".join(f"sum({k} * {k})" for k in weights)
    names = f"({names})" if len(weights) > 1 else names
    squares = {k: float(np.sum(w * w)) for k, w in weights.items()}
    expected = reg * sum(squares.values())
    if _near(increase, expected, 1e-7):
        return
    observed = f"the loss grows by {_num(increase)} from reg=0 to reg={reg:g}; reg * {names} is {_num(expected)}"
    fix = f"add reg * {names} to the averaged data loss"
    if abs(increase) < 1e-12 * max(1.0, expected):
        raise _Wrong(f"{observed}: the loss does not change with reg",
                     "the regularisation is missing from the loss (it is exactly reg * sum(W^2) too small)", fix)
    variants = [
        (0.5, "half of it", "the penalty is 0.5 * reg * sum(W^2), the convention of other courses; this assignment "
                            "uses reg * sum(W^2), whose gradient is 2 * reg * W"),
        (2.0, "twice it", "the penalty is counted twice"),
        (1.0 / N, f"it divided by N = {N}", "the penalty is averaged over the examples with the data loss"),
    ]
    variants += [(squares[k] / sum(squares.values()), f"reg * sum({k} * {k}) alone", f"only {k} is regularised")
                 for k in weights if len(weights) > 1]
    for factor, what, mistake in variants:
        if _near(increase, factor * expected, 1e-7):
            raise _Wrong(f"{observed}: the increase is {what}", mistake, fix)
    if _near(increase, reg * sum(float(np.sum(np.abs(w))) for w in weights.values()), 1e-7):
        raise _Wrong(f"{observed}: the increase is reg * sum(|W|)", "an L1 penalty instead of the squared one", fix)
    raise _Wrong(observed, "", fix)


def _check_reg_grad(subject, increases, reg, weights, N, biases=()):
    """The gradients at reg minus those at 0 must be 2 * reg * weight, and 0 for biases.

    increases: {gradient name: array}; weights: {gradient name: weight array}; biases: gradient names that must
    not change.
    """
    for gname, increase in increases.items():
        if gname in biases and np.max(np.abs(increase)) > 1e-10:
            raise _Wrong(f"{gname} changes with reg, by up to {_num(np.max(np.abs(increase)))}",
                         "the biases are regularised in the gradient; the penalty covers the weights only",
                         "add 2 * reg * W only to the weight gradients")
        if gname not in biases and not _same(increase, 2 * reg * weights[gname], 1e-7):
            _wrong_reg_grad(gname, increase, reg, weights[gname], N)


def _wrong_reg_grad(gname, increase, reg, W, N):
    expected = 2 * reg * W
    wname = "W" if gname == "dW" else gname.split("'")[1]
    observed = f"from reg=0 to reg={reg:g}, {gname} changes by "
    fix = f"add 2 * reg * {wname} to {gname}"
    if np.max(np.abs(increase)) < 1e-12:
        raise _Wrong(observed + f"0 instead of 2 * reg * {wname}",
                     "the regularisation is missing from the gradient", fix)
    for factor, what in ((0.5, f"reg * {wname}, half of 2 * reg * {wname}"), (1.0 / N, f"2 * reg * {wname} / N"),
                         (0.5 / N, f"reg * {wname} / N"), (-1.0, f"-2 * reg * {wname}")):
        if _same(increase, factor * expected, 1e-7):
            mistake = {0.5: f"the gradient of reg * sum({wname}^2) is 2 * reg * {wname}, not reg * {wname}",
                       -1.0: "the regularisation gradient has the wrong sign"}.get(
                           factor, "the regularisation gradient is divided by N with the data gradient")
            raise _Wrong(observed + what, mistake, fix)
    raise _Wrong(observed + f"{_num(_err(increase, expected))} (relative) away from 2 * reg * {wname}", "", fix)


def _wrong_data_grad(subject, dW, numeric, P, svm):
    N, C = len(P.y), P.W.shape[1]
    error = _err(dW, numeric)
    ratio = _ratio(dW, numeric)
    if ratio is not None:
        _wrong_ratio(subject, "dW", ratio, N)
    columns = [c for c in range(C) if _err(dW[:, c], numeric[:, c]) > 1e-6]
    if svm and columns and set(columns) <= set(P.y.tolist()):
        cols = ", ".join(map(str, columns))
        observed = (f"column(s) {cols} of dW, the true classes of the examples, differ from the numerical gradient "
                    "of your loss; the other columns agree")
        for c in columns:
            for i in np.flatnonzero(P.y == c):
                if _same(dW[:, c], -P.X[i] / N, 1e-7):
                    raise _Wrong(f"{observed}; column {c} of dW is -X[{i}] / N, the contribution of example {i} "
                                 "alone, where the numerical gradient collects several",
                                 "the true-class column is overwritten, not accumulated: dW[:, y[i]] = -X[i] keeps "
                                 "only the last contribution",
                                 "subtract with dW[:, y[i]] -= X[i], once for every class with a positive margin")
        raise _Wrong(observed, "the true-class column gets the wrong share: it must lose X[i] once for every class "
                     "whose margin is positive",
                     "in the loop subtract X[i] from column y[i] inside the `if margin > 0` branch; vectorised, put "
                     "minus the row's count of positive margins at the true class")
    if not svm:
        true_class = P.X.T @ _one_hot(P.y, C) / N
        if _same(dW - numeric, true_class, 1e-7):
            raise _Wrong("dW - (numerical gradient) = X.T @ one_hot(y) / N: the difference sits at the true classes",
                         "the -1 at the true class is missing from p - one_hot(y)",
                         "subtract 1 from the probability of the correct class before multiplying by X")
    i, j = np.unravel_index(np.argmax(np.abs(dW - numeric)), dW.shape)
    raise _Wrong(f"dW differs from the numerical gradient of your loss (relative error {_num(error)}; at dW[{i}, {j}]: "
                 f"{_num(dW[i, j])} against {_num(numeric[i, j])})", "", subject.generic_fix())


def _wrong_ratio(subject, gname, ratio, N, also=""):
    observed = f"{gname} is {ratio:.2f} times the numerical gradient of your loss"
    if abs(ratio - N) < 1e-6 * N:
        raise _Wrong(f"{observed} (N = {N}){also}", f"{gname} is summed over the batch, not averaged",
                     f"divide {gname} by N, as the loss is" if gname != "grads['b1']" else
                     "divide the bias gradient by N like the others (or sum the already averaged dhidden)")
    if abs(ratio - 1.0 / N) < 1e-6:
        raise _Wrong(f"{observed} (1/N, N = {N}){also}", f"{gname} is divided by N twice",
                     "divide by N once, where the loss is averaged")
    if abs(ratio + 1) < 1e-6:
        raise _Wrong(f"{observed}: the same numbers with the opposite sign{also}", f"{gname} has the wrong sign",
                     "check the signs: the gradient points uphill, the direction in which the loss grows")
    raise _Wrong(f"{observed}{also}", f"{gname} is off by a constant factor ({ratio:.3g})",
                 f"remove the extra factor; {subject.generic_fix()}")


_probe("svm_loss_naive", "cs231n.classifiers.linear_svm", '"The SVM loss" and "Gradient check" in notebooks/svm.ipynb')(
    _loss_probe("svm"))
_probe("svm_loss_vectorized", "cs231n.classifiers.linear_svm",
       '"Vectorised loss and gradient: the mask trick" in notebooks/svm.ipynb')(_loss_probe("svm"))
_probe("softmax_loss_naive", "cs231n.classifiers.softmax",
       '"The softmax loss" and "Gradient check" in notebooks/softmax.ipynb')(_loss_probe("softmax"))
_probe("softmax_loss_vectorized", "cs231n.classifiers.softmax",
       '"The softmax loss" and "Naive against vectorised" in notebooks/softmax.ipynb')(_loss_probe("softmax"))


# ------------------------------------------------------------------------------------ training loops

_NOT_PASSED = "not passed"


def _train_data():
    """10 distinct rows of 3 features (row i identifies itself) and labels i % 3."""
    i = np.arange(10.0)
    return np.stack([i, (i * i) % 7, np.ones(10)], axis=1), np.arange(10) % 3


def _check_steps(subject, calls, X, y, reg, batch_size, num_iters, call):
    """The spy's record of self.loss calls: once per step, batch_size rows of X with their labels, and reg.

    call: how the loss is called, for the fixes ("self.loss(X_batch, y_batch, reg)").
    """
    N = len(X)
    if not calls:
        raise _Wrong(f"{num_iters} steps (num_iters = {num_iters}) never called self.loss",
                     "the SGD step does not evaluate the loss", "call self.loss on the minibatch once per step")
    if len(calls) != num_iters:
        raise _Wrong(f"{num_iters} steps (num_iters = {num_iters}) called self.loss {len(calls)} times",
                     "the loss is not evaluated exactly once per step", "call self.loss once in each step")
    for X_batch, y_batch, got_reg in calls:
        if X_batch is None or X_batch.ndim != 2 or X_batch.shape[1] != X.shape[1]:
            raise _Wrong(f"self.loss got X_batch of shape {None if X_batch is None else X_batch.shape}, expected "
                         f"({batch_size}, {X.shape[1]})", "", subject.generic_fix())
        if len(X_batch) != batch_size:
            if len(X_batch) == N:
                raise _Wrong(f"self.loss got all {N} rows at every step, with batch_size = {batch_size}",
                             "batch_size is ignored: each step uses the whole training set",
                             "draw batch_size row indices, np.random.choice(num_train, batch_size), and index X and "
                             "y with them")
            raise _Wrong(f"self.loss got {len(X_batch)} rows per step, with batch_size = {batch_size}",
                         "batch_size is ignored: the minibatch has a fixed size",
                         "draw batch_size row indices: np.random.choice(num_train, batch_size)")
        rows = [int(X_batch[r, 0]) if np.any(np.all(X == X_batch[r], axis=1)) else -1 for r in range(batch_size)]
        if -1 in rows:
            raise _Wrong("self.loss got rows that are not rows of X", "",
                         "take the minibatch's rows from X: X[indices]")
        if y_batch is None or y_batch.shape != (batch_size,) or not np.array_equal(y_batch, y[rows]):
            raise _Wrong("self.loss got labels that do not belong to its rows of X",
                         "X_batch and y_batch are indexed differently",
                         "index X and y with the same indices: X[indices], y[indices]")
        if got_reg is _NOT_PASSED or not _equals(got_reg, reg):
            shown = "without reg (so its default was used)" if got_reg is _NOT_PASSED else f"with reg = {got_reg!r}"
            raise _Wrong(f"train(..., reg={reg}) called self.loss {shown}",
                         "the train loop ignores reg", f"pass reg on to the loss: {call}")
    firsts = [tuple(int(v) for v in b[0][:, 0]) for b in calls]
    if len(set(firsts)) == 1:
        which = "the first batch_size rows" if firsts[0] == tuple(range(batch_size)) else "the same rows"
        raise _Wrong(f"every step used {which} of X ({', '.join(map(str, firsts[0]))})",
                     "the minibatch is not drawn at random at each step",
                     "draw new indices in every step: np.random.choice(num_train, batch_size)")


def _equals(value, number):
    try:
        return float(value) == number
    except (TypeError, ValueError):
        return False


def _check_update(subject, name, before, after, steps, learning_rate):
    """after must be before - sum(step_lr * grad); steps: [(lr of the step, grad)]."""
    expected = before - sum(lr * g for lr, g in steps)
    if after is None or after.shape != before.shape:
        raise _Wrong(f"{name} is {'None' if after is None else f'of shape {after.shape}'} after training, "
                     f"expected shape {before.shape}", "", subject.generic_fix())
    if _same(after, expected, 1e-9):
        return
    moves = sum(lr * g for lr, g in steps)
    observed = f"after {len(steps)} steps {name} moved by "
    fix = f"update with {name} -= learning_rate * gradient after each call of the loss"
    if np.array_equal(after, before):
        raise _Wrong(observed + "nothing", f"{name} is never updated", fix)
    if _same(after, before + moves, 1e-9):
        raise _Wrong(observed + "+learning_rate * gradient", "the step goes uphill (+= instead of -=)", fix)
    if _same(after, before - moves / learning_rate, 1e-9):
        raise _Wrong(observed + "-gradient, without the learning rate", "the learning rate is ignored", fix)
    raise _Wrong(observed + f"something else: {_num(_err(after - before, -moves))} (relative) away from "
                 "-learning_rate * (sum of the gradients)", "", fix)


@_probe("LinearClassifier.train", "cs231n.classifiers.linear_classifier",
        '"Stochastic gradient descent" in notebooks/svm.ipynb')
def _linear_train(subject):
    X, y = _train_data()
    G = np.arange(9.0).reshape(3, 3) / 10 - 0.4
    calls = []

    def loss(self, X_batch, y_batch=None, reg=_NOT_PASSED):
        calls.append((_record(X_batch), _record(y_batch, int), reg))
        k = len(calls)
        return float(k), G * k

    clf = subject.cls(loss=loss)()
    W0 = np.arange(9.0).reshape(3, 3) / 7
    clf.W = W0.copy()
    np.random.seed(0)
    history = clf.train(X.copy(), y.copy(), learning_rate=0.1, reg=0.25, num_iters=3, batch_size=4)
    _check_steps(subject, calls, X, y, 0.25, 4, 3, "self.loss(X_batch, y_batch, reg)")
    _check_update(subject, "self.W", W0, None if clf.W is None else _record(clf.W),
                  [(0.1, G * k) for k in (1, 2, 3)], 0.1)
    if not isinstance(history, (list, tuple)) or list(history) != [1.0, 2.0, 3.0]:
        raise _Wrong(f"train returned {history!r}, expected the losses self.loss returned, [1.0, 2.0, 3.0]", "",
                     "set loss to the minibatch loss: loss, grad = self.loss(X_batch, y_batch, reg)")


def _record(value, dtype=float):
    try:
        return np.array(value, dtype=dtype)
    except (TypeError, ValueError):
        return None


@_probe("TwoLayerNet.train", "cs231n.classifiers.neural_net", '"Training the toy network" in '
        "notebooks/two_layer_net.ipynb")
def _net_train(subject):
    X, y = _train_data()
    shapes = {"W1": (3, 2), "b1": (2,), "W2": (2, 3), "b2": (3,)}
    G = {k: (np.arange(np.prod(s), dtype=float).reshape(s) + i) / 10 - 0.3 for i, (k, s) in enumerate(shapes.items())}
    calls = []

    def loss(self, X, y=None, reg=_NOT_PASSED):
        if y is None:
            return np.zeros((len(X), 3))
        calls.append((_record(X), _record(y, int), reg))
        k = len(calls)
        return float(k), {name: g * k for name, g in G.items()}

    def predict(self, X):
        return np.zeros(len(X), dtype=np.int64)

    cls = subject.cls(loss=loss, predict=predict)
    net = cls.__new__(cls)
    before = {k: (np.arange(np.prod(s), dtype=float).reshape(s) - 2) / 5 for k, s in shapes.items()}
    net.params = {k: v.copy() for k, v in before.items()}
    np.random.seed(0)
    # 10 rows in batches of 4: an epoch is 2 steps, after which the learning rate halves (learning_rate_decay).
    stats = net.train(X.copy(), y.copy(), X[:4].copy(), y[:4].copy(), learning_rate=0.1, learning_rate_decay=0.5,
                      reg=0.25, num_iters=3, batch_size=4)
    _check_steps(subject, calls, X, y, 0.25, 4, 3, "self.loss(X_batch, y=y_batch, reg=reg)")
    params = getattr(net, "params", None) or {}
    stale = [k for k in shapes if k in params and np.array_equal(_record(params[k]), before[k])]
    if stale and len(stale) < len(shapes):
        raise _Wrong(f"after 3 steps {', '.join(stale)} did not move; the other parameters did",
                     "not every parameter is updated", "loop over every name in grads and update self.params[name]")
    for k in shapes:
        lrs = (0.1, 0.1, 0.05)
        _check_update(subject, f"self.params['{k}']", before[k], _record(params[k]) if k in params else None,
                      [(lr, G[k] * (i + 1)) for i, lr in enumerate(lrs)], 0.1)
    if not isinstance(stats, dict) or list(stats.get("loss_history", [])) != [1.0, 2.0, 3.0]:
        raise _Wrong("loss_history does not hold the losses self.loss returned, [1.0, 2.0, 3.0]", "",
                     "set loss to the minibatch loss: loss, grads = self.loss(X_batch, y=y_batch, reg=reg)")


# ------------------------------------------------------------------------------------ predictions

PREDICT_X = np.array([[2.0, 1.0, 0.0], [-2.0, -1.0, -3.0], [-3.0, -3.0, -2.0], [2.0, 1.0, 3.0], [0.0, 1.0, 3.0]])
PREDICT_W = np.array([[2.0, 1.0, 0.0, 0.0], [3.0, -2.0, 2.0, 1.0], [-3.0, -1.0, 3.0, 0.0]])
PREDICT_LABELS = np.array([0, 1, 1, 2, 2])  # the best class of each row; every row's best leads by >= 1


def _check_predictions(subject, pred, scores, expected, source):
    N, C = scores.shape
    pred = _array(pred, "y_pred")
    fix_axis = "take np.argmax over the classes, axis=1: one prediction per row"
    if pred.shape == (N, C):
        raise _Wrong(f"predict returned an array of shape {pred.shape}, the shape of the scores; expected ({N},)",
                     "the scores are returned instead of the best class of each row", fix_axis)
    if pred.shape == (C,) and np.array_equal(pred, np.argmax(scores, axis=0)):
        raise _Wrong(f"predict returned {C} labels for {N} rows ({_show(pred)}): the argmax of the scores along "
                     "axis 0", "the argmax is taken along axis 0 (over the examples) instead of axis 1 (over the "
                     "classes)", fix_axis)
    pred = _labels(pred, N)
    if np.array_equal(pred, expected):
        return
    observed = f"predict returned {_show(pred)} for the check's {N} rows, expected {_show(expected)}"
    if np.array_equal(pred, np.argmin(scores, axis=1)):
        raise _Wrong(f"{observed}: the lowest-scoring classes", "np.argmin is used where np.argmax belongs",
                     fix_axis)
    raise _Wrong(f"{observed} ({source})", "", subject.generic_fix())


def _check_integer(subject, value):
    dtype = np.asarray(value).dtype
    if dtype.kind not in "iu":
        raise _Wrong(f"predict returned the right labels with dtype {dtype}", "the labels are not integers",
                     "np.argmax returns integers: store its result without converting it")


@_probe("LinearClassifier.predict", "cs231n.classifiers.linear_classifier",
        '"Stochastic gradient descent" in notebooks/svm.ipynb')
def _linear_predict(subject):
    cls = subject.cls()
    clf = cls.__new__(cls)
    clf.W = PREDICT_W.copy()
    X = PREDICT_X.copy()
    pred = clf.predict(X)
    _unchanged({"X": PREDICT_X, "self.W": PREDICT_W}, {"X": X, "self.W": clf.W}, subject.name)
    product = PREDICT_X @ PREDICT_W  # exact: small integers
    _check_predictions(subject, pred, product, PREDICT_LABELS, "scores X @ W")
    _check_integer(subject, pred)


# ------------------------------------------------------------------------------------ the two-layer network

_NET = "cs231n.classifiers.neural_net"
_NET_NB = "notebooks/two_layer_net.ipynb"

# The assignment's toy network: TwoLayerNet(4, 10, 3, std=1e-1) after np.random.seed(0), X = 10 * randn(5, 4)
# after np.random.seed(1), y = [0, 1, 2, 2, 1]; its published scores and loss (at reg = 0.05).
TOY_SCORES = np.array([[-0.81233741, -1.27654624, -0.70335995], [-0.17129677, -1.18803311, -0.47310444],
                       [-0.51590475, -1.01354314, -0.8504215], [-0.15419291, -0.48629638, -0.52901952],
                       [-0.00618733, -0.12435261, -0.15226949]])
TOY_LOSS = 1.30378789133
TOY_Y = np.array([0, 1, 2, 2, 1])

# Network B: D = 4, H = 6, C = 3, N = 5, non-zero biases; hidden units 1 and 3 are inactive for every row, every
# pre-activation is at least 0.1 away from 0 (the numerical gradient stays exact).
NET_X = np.array([[-1.5, 1.1, -1.3, 1.0], [-1.7, 0.6, -1.5, 0.3], [2.0, 0.3, -1.2, -1.5], [-0.6, 1.8, -1.6, -1.1],
                  [-1.6, 1.2, 1.5, 1.0]])
NET_Y = np.array([0, 2, 1, 2, 0])
NET_PARAMS = {
    "W1": np.array([[0.3, 0.1, -0.1, 0.3, 0.6, -0.4], [-1.0, -0.9, 0.7, -0.6, -0.7, 0.7],
                    [-0.8, 0.8, 0.4, 0.5, 0.4, 0.8], [0.3, -0.6, 0.7, 0.2, 0.2, 0.7]]),
    "b1": np.array([0.1, -0.1, -0.4, -0.1, 0.4, 0.3]),
    "W2": np.array([[0.8, -0.9, 0.9], [0.7, 0.1, -0.8], [0.8, 1.0, -0.3], [-0.8, 0.4, 0.4], [-0.5, -0.9, 0.9],
                    [-0.6, 0.9, 0.8]]),
    "b2": np.array([0.5, 0.2, -0.1]),
}
NET_SCORES = np.array([[0.2619999999999999, 2.097, 0.7540000000000002],
                       [0.4780000000000002, 0.31699999999999984, 0.4800000000000002],
                       [0.923, -1.1680000000000001, 1.268], [0.5, 0.2, -0.1],
                       [-0.18799999999999972, 5.412, 2.274]])
NET_LOSS = 2.665680287961655  # at reg = 0
NET_INACTIVE = (1, 3)
NET_LABELS = np.array([1, 2, 2, 0, 1])  # the best class of each row of NET_SCORES


def _toy_params():
    first = np.random.RandomState(0)
    W1 = 0.1 * first.randn(4, 10)
    W2 = 0.1 * first.randn(10, 3)
    return {"W1": W1, "b1": np.zeros(10), "W2": W2, "b2": np.zeros(3)}, 10 * np.random.RandomState(1).randn(5, 4)


def _net(cls, params):
    net = cls.__new__(cls)
    net.params = {k: np.array(v, dtype=np.float64) for k, v in params.items()}
    return net


def _params_of(net):
    params = getattr(net, "params", None)
    return {f"self.params['{k}']": v for k, v in params.items()} if isinstance(params, dict) else {}


def _scores(subject, net, X, shape):
    before = {k: v.copy() for k, v in _params_of(net).items()}
    out = net.loss(X)
    _unchanged(before, _params_of(net), subject.name)
    if isinstance(out, tuple):
        raise _Wrong(f"loss(X) without y returned a tuple of {len(out)} items, expected the scores {shape}",
                     "with y=None the function must return the scores before computing any loss",
                     "keep the early `return scores` when y is None")
    return _array(out, "the scores", shape)


def _net_loss_grads(subject, net, X, y, reg):
    before = {k: v.copy() for k, v in _params_of(net).items()}
    loss, grads = _pair(net.loss(X, y, reg), "TwoLayerNet.loss", "loss")
    _unchanged(before, _params_of(net), subject.name)
    loss = _scalar(loss, "loss")
    if not isinstance(grads, dict):
        raise _Wrong(f"grads is {type(grads).__name__}, expected a dict with keys W1, b1, W2, b2")
    checked = {}
    for k, param in net.params.items():
        if k not in grads:
            raise _Wrong(f"grads has no '{k}' (it holds {', '.join(map(repr, grads)) or 'nothing'})",
                         "a gradient is not stored", f"set grads['{k}'], of the shape of self.params['{k}']")
        g = _array(grads[k], f"grads['{k}']")
        if g.shape != param.shape:
            hint = (f"sum over the rows (axis=0) to get one number per {'hidden unit' if k == 'b1' else 'class'}"
                    if k.startswith("b") and g.ndim == 2 and g.shape[1:] == param.shape else "")
            raise _Wrong(f"grads['{k}'] has shape {g.shape}, expected {param.shape} like self.params['{k}']",
                         "the bias gradient is not summed over the examples" if hint else "", hint or
                         "check the order of the factors and the transposes")
        checked[k] = g
    return loss, checked


@_probe("TwoLayerNet.loss", _NET, f'"Forward pass: scores", "Forward pass: loss" and "Backward pass, step by step" '
        f"in {_NET_NB}")
def _net_loss(subject):
    cls = subject.cls()
    # forward pass: the toy network (published scores), then network B (non-zero biases)
    toy_params, toy_X = _toy_params()
    toy = _net(cls, toy_params)
    scores = _scores(subject, toy, toy_X.copy(), (5, 3))
    if np.max(np.abs(scores - TOY_SCORES)) > 1e-7:
        observed = (f"the toy network's scores[0] are {', '.join(_num(v) for v in scores[0])}, expected "
                    f"{', '.join(_num(v) for v in TOY_SCORES[0])} (the published toy scores)")
        p = toy_params
        if np.max(np.abs(scores - (toy_X @ p["W1"] + p["b1"]) @ p["W2"] - p["b2"])) < 1e-7:
            raise _Wrong(observed, "the ReLU is missing: the hidden layer is X W1 + b1",
                         "hidden = np.maximum(0, X W1 + b1)")
        if np.all(scores == 0):
            raise _Wrong(f"{observed}: every score is 0, and every published score is negative",
                         "the ReLU is applied to the scores too", "the output layer has no ReLU: scores = hidden W2 "
                         "+ b2")
        if np.allclose(scores.sum(axis=1), 1):
            raise _Wrong(f"{observed}: every row sums to 1", "probabilities are returned instead of scores",
                         "return the scores, before softmax")
        raise _Wrong(observed, "", subject.generic_fix())
    net = _net(cls, NET_PARAMS)
    scores = _scores(subject, net, NET_X.copy(), (5, 3))
    if np.max(np.abs(scores - NET_SCORES)) > 1e-9:
        p = NET_PARAMS
        observed = (f"scores[0] are {', '.join(_num(v) for v in scores[0])}, expected "
                    f"{', '.join(_num(v) for v in NET_SCORES[0])} for a network with non-zero biases")
        if _same(scores, np.maximum(0, NET_X @ p["W1"]) @ p["W2"] + p["b2"], 1e-9):
            raise _Wrong(observed, "the first-layer bias b1 is missing", "hidden = ReLU(X W1 + b1)")
        if _same(scores, NET_SCORES - p["b2"], 1e-9):
            raise _Wrong(observed, "the second-layer bias b2 is missing", "scores = hidden W2 + b2")
        raise _Wrong(observed, "", subject.generic_fix())

    # the loss: network B at reg = 0 (stored), the penalty (invariant), the toy network (published)
    loss0, grads0 = _net_loss_grads(subject, net, NET_X.copy(), NET_Y.copy(), 0.0)
    loss_r, grads_r = _net_loss_grads(subject, net, NET_X.copy(), NET_Y.copy(), REG)
    with subject.independent():
        if not _near(loss0, NET_LOSS, 1e-8):
            def call(W, X, y, reg):
                return _net_loss_grads(subject, net, X, y, reg)[0], None
            _wrong_data_loss(subject, call, loss0, _Problem(None, NET_X, NET_Y, NET_LOSS), False)
        _check_reg_loss(subject, loss_r - loss0, REG, {"W1": NET_PARAMS["W1"], "W2": NET_PARAMS["W2"]})
        toy_loss, _ = _net_loss_grads(subject, _net(cls, toy_params), toy_X.copy(), TOY_Y.copy(), 0.05)
        if not _near(toy_loss, TOY_LOSS, 1e-10):
            raise _Wrong(f"the toy network's loss at reg=0.05 is {_num(toy_loss)}, expected the published "
                         f"{TOY_LOSS}", "", subject.generic_fix())

    # large scores: X one-hot, W1 = 1.5 I, b1 = -0.5 make hidden = X exactly, so the scores are the rows of W2
    def evaluate(scores, y):
        n, C = scores.shape
        big = _net(cls, {"W1": 1.5 * np.eye(n), "b1": np.full(n, -0.5), "W2": scores, "b2": np.zeros(C)})
        loss, grads = _net_loss_grads(subject, big, np.eye(n), y.copy(), 0.0)
        return loss, list(grads.values())
    with subject.independent():
        _large_score_checks(evaluate)

    # gradients of network B against the numerical gradients of your loss
    numeric = {}
    for k in NET_PARAMS:
        numeric[k] = _numerical_grad(lambda: _net_loss_grads(subject, net, NET_X.copy(), NET_Y.copy(), 0.0)[0],
                                     net.params[k])
    for k, g in grads0.items():
        if not np.all(np.isfinite(g)):
            raise _Wrong(f"grads['{k}'] holds nan or inf at moderate scores", "", subject.generic_fix())
    wrong = [k for k in NET_PARAMS if _err(grads0[k], numeric[k]) > 1e-6]
    with subject.independent():
        if wrong:
            _wrong_net_grads(subject, wrong, grads0, numeric)
    increases = {f"grads['{k}']": grads_r[k] - grads0[k] for k in NET_PARAMS}
    _check_reg_grad(subject, increases, REG, {f"grads['{k}']": NET_PARAMS[k] for k in NET_PARAMS}, 5,
                    biases=("grads['b1']", "grads['b2']"))


def _wrong_net_grads(subject, wrong, grads, numeric):
    N = 5
    ratios = {k: _ratio(grads[k], numeric[k]) for k in wrong}
    names = ", ".join(f"grads['{k}']" for k in wrong)
    if len(wrong) == 4 and all(r is not None and abs(r - N) < 1e-6 * N for r in ratios.values()):
        raise _Wrong(f"every gradient is {N:.2f} times the numerical gradient of your loss (N = {N})",
                     "the gradients are summed over the batch, not averaged: dscores is not divided by N",
                     "divide dscores by N (the loss is a mean over the N rows)")
    agree = [k for k in NET_PARAMS if k not in wrong]
    if set(wrong) <= {"W1", "b1"} and set(agree) >= {"W2", "b2"}:
        dead = [u for u in NET_INACTIVE if np.all(numeric["W1"][:, u] == 0) and np.any(grads["W1"][:, u] != 0)]
        if dead:
            units = " and ".join(map(str, NET_INACTIVE))
            raise _Wrong(f"hidden units {units} are inactive (ReLU output 0) for every row, so the loss does not "
                         f"depend on columns {units} of W1 (numerical gradient exactly 0), but grads['W1'] is not 0 "
                         "there; grads['W2'] and grads['b2'] agree with the numerical gradients",
                         "the ReLU backward lets gradient through inactive units: it is masked on the wrong array "
                         "(e.g. where dhidden <= 0) or not at all",
                         "zero dhidden where hidden, the ReLU output of the forward pass, is <= 0")
    for k in wrong:
        if ratios[k] is not None:
            also = "" if len(wrong) == 1 else f"; {', '.join(w for w in wrong if w != k)} also disagree"
            also += f"; {', '.join(agree)} agree" if agree else ""
            _wrong_ratio(subject, f"grads['{k}']", ratios[k], N, also)
    errors = ", ".join(f"{k} {_num(_err(grads[k], numeric[k]))}" for k in wrong)
    observed = f"{names} differ from the numerical gradients of your loss (relative error {errors})"
    if agree:
        observed += f"; {', '.join(agree)} agree"
    if set(wrong) == {"W1", "b1"}:
        raise _Wrong(observed, "the error is below the second layer: in the ReLU backward or the first layer's "
                     "products", "mask dhidden where the forward pass's hidden is <= 0, then backpropagate "
                     "through X W1 + b1 as through the second layer")
    raise _Wrong(observed, "", subject.generic_fix())


@_probe("TwoLayerNet.predict", _NET, f'"Training the toy network" in {_NET_NB}')
def _net_predict(subject):
    # self.loss(X) returns network B's scores whether the student's own loss is written yet or not; the parameters
    # are network B's too, for a predict that runs the forward pass itself.
    def loss(self, X, y=None, reg=0.0):
        return NET_SCORES.copy()

    net = _net(subject.cls(loss=loss), NET_PARAMS)
    X = NET_X.copy()
    pred = net.predict(X)
    _unchanged({"X": NET_X}, {"X": X}, subject.name)
    _check_predictions(subject, pred, NET_SCORES, NET_LABELS, "scores from self.loss(X)")
    _check_integer(subject, pred)
