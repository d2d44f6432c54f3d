"""cs231n.diagnoses: each common mistake, planted in the solution the way a student would write it, gets its hint.

A planted mistake is the solution's source with one textual change (each pattern must occur exactly once, so a test
breaks loudly when the solution changes), exec'd into a copy of the module's namespace and passed as impl. This file
is instructor-only: it holds solution code by necessity.
"""

import importlib
import inspect
import json
import re
import textwrap
import warnings

import numpy as np
import pytest

from cs231n import diagnoses, parts
from cs231n.diagnoses import diagnose

MODULES = {
    "KNearestNeighbor": "cs231n.classifiers.k_nearest_neighbor",
    "LinearClassifier": "cs231n.classifiers.linear_classifier",
    "TwoLayerNet": "cs231n.classifiers.neural_net",
    "svm_loss": "cs231n.classifiers.linear_svm",
    "softmax_loss": "cs231n.classifiers.softmax",
}
ALL_FUNCTIONS = list(dict.fromkeys(f for part in parts.PARTS for f in part.functions))


def module_of(function):
    return importlib.import_module(next(m for key, m in MODULES.items() if function.startswith(key)))


def plant(function, *changes):
    """The solution of `function` with each (old, new) change applied once, as a callable for diagnose(impl=...)."""
    module = module_of(function)
    obj = module
    for part in function.split("."):
        obj = getattr(obj, part)
    source = textwrap.dedent(inspect.getsource(obj))
    for old, new in changes:
        assert source.count(old) == 1, f"{old!r} occurs {source.count(old)} times in {function}"
        source = source.replace(old, new)
    namespace = dict(vars(module))
    exec(compile(source, f"<planted {function}>", "exec"), namespace)
    return namespace[function.split(".")[-1]]


def wrong(function, *changes):
    verdict = diagnose(function, impl=plant(function, *changes))
    assert verdict.status == "wrong", verdict
    assert verdict.observed and verdict.fix, verdict
    return verdict


# ------------------------------------------------------------------------------------------ the registry


def test_every_student_function_has_a_probe():
    assert set(ALL_FUNCTIONS) == set(diagnoses.probed_functions())


def test_an_unknown_name_is_a_value_error():
    with pytest.raises(ValueError, match="svm_loss_naive"):
        diagnose("svm_loss")


@pytest.mark.parametrize("function", ALL_FUNCTIONS)
def test_the_solution_is_ok(function):
    assert diagnose(function) == diagnoses.Verdict(function, "ok")


@pytest.mark.parametrize("function", ALL_FUNCTIONS)
def test_a_stub_is_to_write(function):
    def stub(*args, **kwargs):
        raise NotImplementedError(f"TODO: write {function}")
    assert diagnose(function, impl=stub) == diagnoses.Verdict(function, "to write")


def test_a_stub_of_a_later_region_is_to_write():
    impl = plant("TwoLayerNet.loss", ("grads = {}\n",
                                      'raise NotImplementedError("TODO: write TwoLayerNet.loss (backward pass)")\n'))
    assert diagnose("TwoLayerNet.loss", impl=impl).status == "to write"


@pytest.mark.parametrize("function", ALL_FUNCTIONS)
def test_another_exception_is_wrong_and_named_with_its_line(function):
    def broken(*args, **kwargs):
        raise KeyError("no such thing")
    verdict = diagnose(function, impl=broken)
    assert verdict.status == "wrong"
    assert "KeyError: 'no such thing'" in verdict.observed
    assert re.search(r"test_diagnoses\.py:\d+: raise KeyError", verdict.observed), verdict.observed


def test_a_wrong_region_is_reported_before_a_later_stub():
    """The probes stop at the first finding: a wrong forward pass shows even while the backward pass is a stub."""
    impl = plant("TwoLayerNet.loss", ("hidden = np.maximum(0, X @ W1 + b1)", "hidden = X @ W1 + b1"),
                 ("grads = {}\n", 'raise NotImplementedError("TODO: write TwoLayerNet.loss (backward pass)")\n'))
    verdict = diagnose("TwoLayerNet.loss", impl=impl)
    assert verdict.status == "wrong" and "ReLU is missing" in verdict.mistake


def test_a_module_that_does_not_parse_names_the_line():
    def unparsable(*args, **kwargs):
        exec(compile("x = 1\ndef broken(:\n    pass\n", "cs231n/classifiers/edited.py", "exec"))
    verdict = diagnose("svm_loss_naive", impl=unparsable)
    assert verdict.status == "wrong" and verdict.observed.startswith("SyntaxError")
    assert "edited.py:2: def broken(:" in verdict.observed and "does not parse" in verdict.mistake


@pytest.mark.parametrize("function", ALL_FUNCTIONS)
def test_random_state_is_unchanged(function):
    np.random.seed(1234)
    before = np.random.get_state()
    diagnose(function)
    diagnose(function, impl=lambda *a, **k: None)
    after = np.random.get_state()
    assert before[0] == after[0] and np.array_equal(before[1], after[1]) and before[2:] == after[2:]


@pytest.mark.parametrize("function", ["svm_loss_naive", "softmax_loss_vectorized", "TwoLayerNet.loss"])
@pytest.mark.parametrize("returned", [None, 3.0, (np.nan, np.full((3, 4), np.nan)), (1.0, np.zeros(2)), "text",
                                      (np.inf, {"W1": None})])
def test_odd_return_values_are_wrong_without_escaping(function, returned):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        verdict = diagnose(function, impl=lambda *args, **kwargs: returned)
    assert verdict.status == "wrong" and verdict.observed


def test_prints_and_warnings_of_the_student_code_stay_inside(capsys):
    def noisy(W, X, y, reg):
        print("debugging")
        warnings.warn("careful", RuntimeWarning, stacklevel=1)
        return np.log(np.zeros(1))[0], np.zeros_like(W)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        verdict = diagnose("svm_loss_naive", impl=noisy)
    assert verdict.status == "wrong" and "inf" in verdict.observed
    assert capsys.readouterr().out == ""


def test_the_function_is_looked_up_at_call_time(monkeypatch):
    """A module edited and reloaded (JupyterLab's autoreload) is what gets tested."""
    svm = importlib.import_module("cs231n.classifiers.linear_svm")
    monkeypatch.setattr(svm, "svm_loss_naive", plant("svm_loss_naive", ("loss = loss / num_train + reg",
                                                                        "loss = loss + reg")))
    assert diagnose("svm_loss_naive").status == "wrong"
    net = importlib.import_module("cs231n.classifiers.neural_net")
    edited = type("TwoLayerNet", (net.TwoLayerNet,), {"predict": plant("TwoLayerNet.predict", ("axis=1", "axis=0"))})
    monkeypatch.setattr(net, "TwoLayerNet", edited)
    assert diagnose("TwoLayerNet.predict").status == "wrong"


def test_verdicts_are_deterministic_and_free_of_addresses():
    impl = plant("softmax_loss_vectorized", ("X.T.dot(dscores) / num_train", "2 * X.T.dot(dscores) / num_train"))
    first, second = diagnose("softmax_loss_vectorized", impl=impl), diagnose("softmax_loss_vectorized", impl=impl)
    assert first == second
    assert "0x" not in first.observed + first.mistake + first.fix


def test_the_sections_the_hints_name_exist():
    root = parts.ROOT
    for function in ALL_FUNCTIONS:
        section = diagnoses._PROBES[function].section
        notebook = re.search(r"notebooks/\w+\.ipynb", section).group(0)
        headings = {line.lstrip("#").strip() for cell in json.loads((root / notebook).read_text())["cells"]
                    if cell["cell_type"] == "markdown" for line in "".join(cell["source"]).splitlines()
                    if line.startswith("#")}
        for title in re.findall(r'"([^"]+)"', section):
            assert title in headings, f"{function}: {title!r} is not a heading of {notebook}"


def test_no_solution_line_in_the_diagnoses():
    """The leak test's rule, on this one module: no line of a solution region appears in it."""
    def norm(line):
        return "".join(line.split())
    inside, outside = {}, set()
    for path in sorted((parts.ROOT / "cs231n").rglob("*.py")):
        if path.name == "diagnoses.py":
            continue
        lines = path.read_text(encoding="utf-8").split("\n")
        region = {i for r in parts.find_regions(lines, str(path)) for i in range(r.start + 1, r.end)}
        for i, line in enumerate(lines):
            if i in region:
                inside.setdefault(norm(line), f"{path.name}:{i + 1}")
            else:
                outside.add(norm(line))
    solution = {n: w for n, w in inside.items() if len(n) > 5 and not n.startswith("#") and n not in outside}
    assert len(solution) > 30
    text = inspect.getsource(diagnoses).split("\n")
    leaks = [f"{i + 1}: {line.strip()} (from {solution[norm(line)]})" for i, line in enumerate(text)
             if norm(line) in solution]
    assert not leaks


# ------------------------------------------------------------------------------------------ kNN


def test_no_loop_distances_without_the_square_root():
    verdict = wrong("KNearestNeighbor.compute_distances_no_loops",
                    ("dists = np.sqrt(np.maximum(sq_dists, 0.0))", "dists = np.maximum(sq_dists, 0.0)"))
    assert "square of the L2 distance" in verdict.observed
    assert "square root is missing" in verdict.mistake and "np.sqrt" in verdict.fix


def test_no_loop_distances_without_the_clamp():
    verdict = wrong("KNearestNeighbor.compute_distances_no_loops",
                    ("np.sqrt(np.maximum(sq_dists, 0.0))", "np.sqrt(sq_dists)"))
    assert "nan" in verdict.observed and "tiny negative" in verdict.mistake and "np.maximum" in verdict.fix


def test_no_loop_distances_through_a_3d_temporary():
    verdict = wrong("KNearestNeighbor.compute_distances_no_loops",
                    ("dists = np.sqrt(np.maximum(sq_dists, 0.0))",
                     "dists = np.sqrt(((X[:, None, :] - self.X_train[None, :, :]) ** 2).sum(axis=2))"))
    assert "MB" in verdict.observed and "(num_test, num_train, D)" in verdict.mistake


def test_no_loop_distances_with_the_cross_term_added():
    verdict = wrong("KNearestNeighbor.compute_distances_no_loops", ("- 2.0 * (X", "+ 2.0 * (X"))
    assert "||a + b||" in verdict.observed and "wrong sign" in verdict.mistake


def test_l1_instead_of_l2_in_the_two_loop_version():
    verdict = wrong("KNearestNeighbor.compute_distances_two_loops",
                    ("dists[i, j] = np.sqrt(diff @ diff)", "dists[i, j] = np.sum(np.abs(diff))"))
    assert "L1 distance" in verdict.observed and "L1" in verdict.mistake and "square the differences" in verdict.fix


def test_l1_instead_of_l2_in_the_one_loop_version():
    verdict = wrong("KNearestNeighbor.compute_distances_one_loop",
                    ('dists[i] = np.sqrt(np.einsum("ij,ij->i", diff, diff))', "dists[i] = np.abs(diff).sum(axis=1)"))
    assert "L1" in verdict.mistake


def test_distances_transposed():
    verdict = wrong("KNearestNeighbor.compute_distances_one_loop",
                    ("dists[i] = np.sqrt(", "dists[:, i] = np.sqrt("),
                    ("dists = np.zeros((num_test, num_train))", "dists = np.zeros((num_train, num_test))"))
    assert "swapped" in verdict.mistake


def test_tied_vote_to_the_larger_label():
    verdict = wrong("KNearestNeighbor.predict_labels",
                    ("y_pred[i] = np.argmax(np.bincount(closest_y[i]))",
                     "counts = np.bincount(closest_y[i])\n"
                     "        y_pred[i] = len(counts) - 1 - np.argmax(counts[::-1])"))
    assert "tie went to the larger label" in verdict.observed
    assert "larger label" in verdict.mistake and "smallest" in verdict.fix


def test_tied_vote_to_the_nearest_neighbour():
    verdict = wrong("KNearestNeighbor.predict_labels",
                    ("y_pred[i] = np.argmax(np.bincount(closest_y[i]))",
                     "y_pred[i] = __import__('collections').Counter(closest_y[i].tolist()).most_common(1)[0][0]"))
    assert "nearest neighbour's" in verdict.mistake


def test_vote_ignoring_k():
    verdict = wrong("KNearestNeighbor.predict_labels", ('kind="stable")[:, :k]', 'kind="stable")[:, :1]'))
    assert "k is ignored" in verdict.mistake


def test_vote_among_the_farthest():
    verdict = wrong("KNearestNeighbor.predict_labels", ("np.argsort(dists, axis=1", "np.argsort(-dists, axis=1"))
    assert "farthest" in verdict.observed and "largest distances" in verdict.mistake


def test_equally_distant_points_not_in_index_order():
    verdict = wrong("KNearestNeighbor.predict_labels", ('np.argsort(dists, axis=1, kind="stable")[:, :k]',
                                                        'np.argsort(-dists, axis=1, kind="stable")[:, ::-1][:, :k]'))
    assert "equally near" in verdict.observed and "index order" in verdict.mistake and "stable" in verdict.fix


# ------------------------------------------------------------------------------------------ linear losses


def test_hinge_sum_counting_the_correct_class():
    verdict = wrong("svm_loss_naive", ("            if j == y[i]:\n                continue\n", ""))
    assert "exactly 1 (the margin delta) too large" in verdict.observed
    assert "counts the correct class" in verdict.mistake and "j == y[i]" in verdict.fix


def test_hinge_sum_counting_the_correct_class_vectorised():
    verdict = wrong("svm_loss_vectorized", ("margins[rows, y] = 0", "pass"))
    assert "counts the correct class" in verdict.mistake


def test_true_class_column_overwritten():
    verdict = wrong("svm_loss_naive", ("dW[:, y[i]] -= X[i]", "dW[:, y[i]] = -X[i]"))
    assert "column 0 of dW is -X[1] / N" in verdict.observed and "the other columns agree" in verdict.observed
    assert "overwritten, not accumulated" in verdict.mistake and "-=" in verdict.fix


def test_true_class_counted_once_per_example_vectorised():
    verdict = wrong("svm_loss_vectorized", ("dscores[rows, y] = -dscores.sum(axis=1)", "dscores[rows, y] = -1"))
    assert "true classes" in verdict.observed and "once for every class" in verdict.mistake


@pytest.mark.parametrize("function, old, new", [
    ("svm_loss_naive", "dW = dW / num_train + 2", "dW = dW + 2"),
    ("svm_loss_vectorized", "X.T.dot(dscores) / num_train", "X.T.dot(dscores)"),
    ("softmax_loss_naive", "dW = dW / num_train + 2", "dW = dW + 2"),
    ("softmax_loss_vectorized", "X.T.dot(dscores) / num_train", "X.T.dot(dscores)"),
])
def test_gradient_not_averaged(function, old, new):
    verdict = wrong(function, (old, new))
    assert "dW is 5.00 times the numerical gradient of your loss (N = 5)" == verdict.observed
    assert verdict.mistake == "dW is summed over the batch, not averaged"
    assert verdict.fix == "divide dW by N, as the loss is"


@pytest.mark.parametrize("function", ["svm_loss_naive", "softmax_loss_naive"])
def test_loss_not_averaged(function):
    verdict = wrong(function, ("loss = loss / num_train + reg", "loss = loss + reg"))
    assert "doubles" in verdict.observed and "not averaged" in verdict.mistake


@pytest.mark.parametrize("function, old, new", [
    ("svm_loss_naive", "loss = loss / num_train + reg * np.sum(W * W)", "loss = loss / num_train"),
    ("svm_loss_vectorized", "/ num_train + reg * np.sum(W * W)", "/ num_train"),
    ("softmax_loss_naive", "loss = loss / num_train + reg * np.sum(W * W)", "loss = loss / num_train"),
    ("softmax_loss_vectorized", "/ num_train + reg * np.sum(W * W)", "/ num_train"),
])
def test_regularisation_missing_from_the_loss(function, old, new):
    verdict = wrong(function, (old, new))
    assert "does not change with reg" in verdict.observed
    assert "missing from the loss" in verdict.mistake and "reg * sum(W * W)" in verdict.fix


@pytest.mark.parametrize("function", ["svm_loss_naive", "softmax_loss_vectorized"])
def test_regularisation_halved_in_the_loss(function):
    verdict = wrong(function, ("+ reg * np.sum(W * W)", "+ 0.5 * reg * np.sum(W * W)"))
    assert "half of it" in verdict.observed and "0.5 * reg" in verdict.mistake


@pytest.mark.parametrize("function", ["svm_loss_naive", "svm_loss_vectorized", "softmax_loss_naive",
                                      "softmax_loss_vectorized"])
def test_regularisation_missing_from_the_gradient(function):
    verdict = wrong(function, (" + 2 * reg * W", ""))
    assert "dW changes by 0 instead of 2 * reg * W" in verdict.observed
    assert "missing from the gradient" in verdict.mistake and verdict.fix == "add 2 * reg * W to dW"


@pytest.mark.parametrize("function", ["svm_loss_naive", "svm_loss_vectorized", "softmax_loss_naive",
                                      "softmax_loss_vectorized"])
def test_regularisation_gradient_with_the_wrong_factor(function):
    verdict = wrong(function, (" + 2 * reg * W", " + reg * W"))
    assert "reg * W, half of 2 * reg * W" in verdict.observed
    assert "is 2 * reg * W, not reg * W" in verdict.mistake


@pytest.mark.parametrize("function, old, new", [
    ("softmax_loss_naive", "scores - np.max(scores)", "scores - np.argmax(scores)"),
    ("softmax_loss_vectorized", "scores -= scores.max(axis=1, keepdims=True)",
     "scores = scores - np.argmax(scores, axis=1, keepdims=True)"),
])
def test_softmax_shifted_by_the_argmax(function, old, new):
    verdict = wrong(function, (old, new))
    assert "stands in column 0 or 1" in verdict.observed
    assert "argmax (a column index) instead of its max" in verdict.mistake and "not np.argmax" in verdict.fix


@pytest.mark.parametrize("function, old, new", [
    ("softmax_loss_naive", "scores - np.max(scores)", "scores"),
    ("softmax_loss_vectorized", "scores -= scores.max(axis=1, keepdims=True)", "pass"),
])
def test_softmax_not_shifted(function, old, new):
    verdict = wrong(function, (old, new))
    assert "709.78" in verdict.observed and "not shifted" in verdict.mistake


def test_softmax_shifted_by_the_matrix_max():
    verdict = wrong("softmax_loss_vectorized", ("scores.max(axis=1, keepdims=True)", "scores.max()"))
    assert "whole matrix" in verdict.mistake


def test_softmax_log_of_an_underflowed_probability():
    verdict = wrong("softmax_loss_vectorized", ("loss = -log_probs[rows, y].sum()",
                                                "loss = -np.log(np.exp(log_probs)[rows, y]).sum()"))
    assert "800 below" in verdict.observed and "underflows to 0" in verdict.mistake


def test_softmax_without_keepdims_names_the_broadcast():
    verdict = wrong("softmax_loss_vectorized", ("scores -= scores.max(axis=1, keepdims=True)",
                                                "scores -= scores.max(axis=1)"))
    assert verdict.observed.startswith("ValueError: operands could not be broadcast")
    assert "<planted softmax_loss_vectorized>:" in verdict.observed
    assert "keepdims=True" in verdict.fix


@pytest.mark.parametrize("function, old, new", [
    ("softmax_loss_vectorized", "X.T.dot(dscores) / num_train", "0.5 * X.T.dot(dscores) / num_train"),
    ("softmax_loss_naive", "dW[:, j] += (p_j - (j == y[i])) * X[i]", "dW[:, j] += 2 * (p_j - (j == y[i])) * X[i]"),
])
def test_softmax_gradient_off_by_a_constant_factor(function, old, new):
    verdict = wrong(function, (old, new))
    factor = 0.5 if "0.5" in new else 2.0
    assert f"dW is {factor:.2f} times the numerical gradient" in verdict.observed
    assert f"constant factor ({factor:g})" in verdict.mistake


def test_softmax_gradient_without_the_true_class_term():
    verdict = wrong("softmax_loss_vectorized", ("dscores[rows, y] -= 1", "pass"))
    assert "-1 at the true class is missing" in verdict.mistake


def test_loss_changing_its_input_in_place():
    verdict = wrong("softmax_loss_vectorized", ("scores = X.dot(W)", "scores = X.dot(W); W *= 1.0001"))
    assert "changed its input W in place" in verdict.observed


# ------------------------------------------------------------------------------------------ training and prediction


def test_linear_train_ignoring_reg():
    verdict = wrong("LinearClassifier.train", ("loss, grad = self.loss(X_batch, y_batch, reg)",
                                               "loss, grad = self.loss(X_batch, y_batch, 0.0)"))
    assert "reg = 0.0" in verdict.observed and "ignores reg" in verdict.mistake


def test_linear_train_ignoring_batch_size():
    verdict = wrong("LinearClassifier.train", ("np.random.choice(num_train, batch_size, replace=True)",
                                               "np.random.choice(num_train, 200, replace=True)"))
    assert "200 rows per step, with batch_size = 4" in verdict.observed and "batch_size is ignored" in verdict.mistake


def test_linear_train_going_uphill():
    verdict = wrong("LinearClassifier.train", ("self.W -= learning_rate * grad", "self.W += learning_rate * grad"))
    assert "uphill" in verdict.mistake


def test_linear_train_with_mismatched_labels():
    verdict = wrong("LinearClassifier.train", ("X[batch], y[batch]", "X[batch], y[:batch_size]"))
    assert "indexed differently" in verdict.mistake


def test_net_train_ignoring_reg():
    verdict = wrong("TwoLayerNet.train", ("self.loss(X_batch, y=y_batch, reg=reg)", "self.loss(X_batch, y=y_batch)"))
    assert "without reg" in verdict.observed and "ignores reg" in verdict.mistake


def test_net_train_ignoring_batch_size():
    verdict = wrong("TwoLayerNet.train", ("X_batch, y_batch = X[batch], y[batch]", "X_batch, y_batch = X, y"))
    assert "all 10 rows" in verdict.observed and "whole training set" in verdict.mistake


def test_net_train_updating_only_the_weights():
    verdict = wrong("TwoLayerNet.train", ("for name, grad in grads.items():",
                                          "for name, grad in [(k, grads[k]) for k in ('W1', 'W2')]:"))
    assert "b1, b2 did not move" in verdict.observed


@pytest.mark.parametrize("function", ["LinearClassifier.predict", "TwoLayerNet.predict"])
def test_predictions_along_the_wrong_axis(function):
    verdict = wrong(function, ("axis=1", "axis=0"))
    assert "argmax of the scores along axis 0" in verdict.observed
    assert "axis 0 (over the examples) instead of axis 1" in verdict.mistake


def test_predictions_as_scores():
    verdict = wrong("LinearClassifier.predict", ("np.argmax(X.dot(self.W), axis=1)", "X.dot(self.W)"))
    assert "scores are returned" in verdict.mistake


# ------------------------------------------------------------------------------------------ the two-layer network

B1_NOT_AVERAGED = (  # dscores left as a sum; the other gradients divided by N, b1 not
    ("dscores /= num_train\n", "pass\n"),
    ("hidden.T @ dscores + 2", "hidden.T @ dscores / num_train + 2"),
    ('grads["b2"] = dscores.sum(axis=0)', 'grads["b2"] = dscores.sum(axis=0) / num_train'),
    ("X.T @ dhidden + 2", "X.T @ dhidden / num_train + 2"),
)
ARGMAX_SHIFT = ("scores - scores.max(axis=1, keepdims=True)", "scores - np.argmax(scores, axis=1, keepdims=True)")


def test_net_softmax_shifted_by_the_argmax():
    verdict = wrong("TwoLayerNet.loss", ARGMAX_SHIFT)
    assert "argmax (a column index) instead of its max" in verdict.mistake


def test_net_b1_not_averaged():
    verdict = wrong("TwoLayerNet.loss", *B1_NOT_AVERAGED)
    assert verdict.observed.startswith("grads['b1'] is 5.00 times the numerical gradient of your loss (N = 5)")
    assert verdict.mistake == "grads['b1'] is summed over the batch, not averaged"
    assert verdict.fix.startswith("divide the bias gradient by N like the others")


def test_net_walk_through_loss_names_both_of_its_mistakes_at_once():
    """The issue's case: the shift by the argmax and grads['b1'] summed, in one loss. The two are independent (the
    shift shows only at large scores, b1 at any scale), so one check names both, the shift first."""
    both = wrong("TwoLayerNet.loss", ARGMAX_SHIFT, *B1_NOT_AVERAGED)
    assert "argmax" in both.mistake and "max, not" not in both.fix.replace("not np.argmax", "")
    assert len(both.more) == 1
    observed, mistake, fix = both.more[0]
    assert "grads['b1'] is 5.00 times the numerical gradient" in observed
    assert mistake == "grads['b1'] is summed over the batch, not averaged" and "divide the bias gradient by N" in fix
    alone = wrong("TwoLayerNet.loss", *B1_NOT_AVERAGED)
    assert "grads['b1']" in alone.mistake and alone.more == ()


def test_net_gradients_not_averaged():
    verdict = wrong("TwoLayerNet.loss", ("dscores /= num_train\n", "pass\n"))
    assert "every gradient is 5.00 times" in verdict.observed and "dscores" in verdict.fix


def test_net_relu_backward_masked_on_the_wrong_array():
    verdict = wrong("TwoLayerNet.loss", ("dhidden[hidden <= 0] = 0", "dhidden[dhidden <= 0] = 0"))
    assert "units 1 and 3 are inactive" in verdict.observed
    assert "ReLU backward" in verdict.mistake and "hidden" in verdict.fix


def test_net_relu_backward_missing():
    verdict = wrong("TwoLayerNet.loss", ("dhidden[hidden <= 0] = 0", "pass"))
    assert "ReLU backward" in verdict.mistake


def test_net_relu_mask_of_another_shape_names_the_mask():
    verdict = wrong("TwoLayerNet.loss", ("dhidden[hidden <= 0] = 0", "dhidden[scores <= 0] = 0"))
    assert verdict.observed.startswith("IndexError") and "boolean mask" in verdict.mistake


@pytest.mark.parametrize("old, new, words", [
    ("reg * (np.sum(W1 * W1) + np.sum(W2 * W2))", "reg * np.sum(W2 * W2)", "only W2 is regularised"),
    ("reg * (np.sum(W1 * W1) + np.sum(W2 * W2))", "0", "missing from the loss"),
    ("reg * (np.sum(W1 * W1) + np.sum(W2 * W2))", "0.5 * reg * (np.sum(W1 * W1) + np.sum(W2 * W2))", "0.5 * reg"),
])
def test_net_regularisation_in_the_loss(old, new, words):
    assert words in wrong("TwoLayerNet.loss", (old, new)).mistake


@pytest.mark.parametrize("old, new, words", [
    ("X.T @ dhidden + 2 * reg * W1", "X.T @ dhidden", "missing from the gradient"),
    ("hidden.T @ dscores + 2 * reg * W2", "hidden.T @ dscores + reg * W2", "is 2 * reg * W2, not reg * W2"),
    ('grads["b1"] = dhidden.sum(axis=0)', 'grads["b1"] = dhidden.sum(axis=0) + 2 * reg * b1', "biases"),
])
def test_net_regularisation_in_the_gradient(old, new, words):
    assert words in wrong("TwoLayerNet.loss", (old, new)).mistake


def test_net_forward_without_relu():
    verdict = wrong("TwoLayerNet.loss", ("hidden = np.maximum(0, X @ W1 + b1)", "hidden = X @ W1 + b1"))
    assert "ReLU is missing" in verdict.mistake


def test_net_forward_without_b1():
    verdict = wrong("TwoLayerNet.loss", ("hidden = np.maximum(0, X @ W1 + b1)", "hidden = np.maximum(0, X @ W1)"))
    assert "b1 is missing" in verdict.mistake


def test_net_bias_gradient_with_the_wrong_shape():
    verdict = wrong("TwoLayerNet.loss", ('grads["b1"] = dhidden.sum(axis=0)', 'grads["b1"] = dhidden'))
    assert "(5, 6), expected (6,)" in verdict.observed and "axis=0" in verdict.fix
