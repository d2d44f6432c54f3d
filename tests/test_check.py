"""cs231n.check: the per-part table, the lines below it, name resolution for check(), and the pytest hooks that
report stubs. The probes themselves (cs231n.diagnoses) are tested by instructor/tests/test_diagnoses.py, with
planted mistakes; here fake verdicts stand in for them."""

import os
import subprocess
import sys
from dataclasses import dataclass

import pytest

from cs231n import check, parts


@dataclass(frozen=True)
class FakeVerdict:
    function: str
    status: str
    observed: str = ""
    mistake: str = ""
    fix: str = ""
    more: tuple = ()

    def findings(self):
        return ((self.observed, self.mistake, self.fix), *self.more) if self.status == "wrong" else ()


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    """Unwrapped lines, whatever the terminal running the tests."""
    monkeypatch.setattr(check, "_width", lambda: 200)


def tally_of(outcomes, stubs=(), errors=()):
    tally = check.Tally()
    tally.outcome = dict(outcomes)
    tally.stubs = dict(stubs)
    tally.errors = list(errors)
    return tally


def rows_of(lines):
    return {line.split()[0]: line.split(None, 5) for line in lines[1:] if line and not line.startswith((" ", "-"))}


def test_the_table_counts_names_stubs_and_puts_one_line_per_wrong_function_below():
    tally = tally_of({"tests/test_knn.py::a": "passed", "tests/test_knn.py::b": "passed",
                      "tests/test_svm.py::a": "stub", "tests/test_svm.py::b": "stub", "tests/test_svm.py::c": "passed",
                      "tests/test_two_layer_net.py::a": "failed", "tests/test_two_layer_net.py::b": "skipped"},
                     stubs={"tests/test_svm.py::a": "svm_loss_naive", "tests/test_svm.py::b": "svm_loss_naive"})
    verdicts = [FakeVerdict("svm_loss_naive", "to write"), FakeVerdict("LinearClassifier.predict", "to write"),
                FakeVerdict("TwoLayerNet.loss", "wrong", "db1 is 5 times the numerical gradient (N = 5)",
                            "the bias gradient is summed, not averaged", "divide by N like the others",
                            more=(("loss is inf at large scores", "no shift", "subtract the max"),))]
    lines, ok = check.table([parts.get(n) for n in ("knn", "svm", "two_layer_net")], tally, verdicts)
    assert not ok
    assert lines[0].split() == ["part", "passed", "failed", "stubs", "skipped", "status"]
    rows = rows_of(lines)
    assert rows["knn"][1:] == ["2", "0", "0", "0", "ok"]
    # predict is named too, though no test reached its stub (the verdicts see every function)
    assert rows["svm"][1:] == ["1", "0", "2", "0", "to write: svm_loss_naive, LinearClassifier.predict"]
    assert rows["two_layer_net"][1:5] == ["0", "1", "0", "1"]
    assert rows["two_layer_net"][5] == "wrong: TwoLayerNet.loss (see below)"
    below = lines[lines.index(next(x for x in lines if x.startswith("What is wrong"))) + 1:]
    assert below == ["- TwoLayerNet.loss: db1 is 5 times the numerical gradient (N = 5) -- likely the bias gradient "
                     "is summed, not averaged -- fix: divide by N like the others",
                     "- TwoLayerNet.loss: loss is inf at large scores -- likely no shift -- fix: subtract the max"]


def test_failures_no_probe_explains_point_to_the_tracebacks():
    tally = tally_of({"tests/test_knn.py::a": "failed", "tests/test_knn.py::b": "passed"})
    lines, ok = check.table([parts.get("knn")], tally, [FakeVerdict(f, "ok") for f in parts.get("knn").functions])
    assert not ok
    assert "1 failing test(s), see below" in lines[1]
    assert any("probes do not explain; run `python -m cs231n.check knn -v`" in line for line in lines)


def test_a_test_file_that_does_not_import_is_named():
    lines, ok = check.table([parts.get("svm")], tally_of({}, errors=["tests/test_svm.py"]), [])
    assert not ok and "ERROR: tests/test_svm.py does not import" in lines[1]


def test_resolve_takes_full_short_and_part_names():
    assert check.resolve(["svm_loss_naive"]) == ["svm_loss_naive"]
    assert check.resolve(["compute_distances_no_loops"]) == ["KNearestNeighbor.compute_distances_no_loops"]
    assert check.resolve(["two_layer_net"]) == list(parts.get("two_layer_net").functions)
    assert check.resolve(["svm", "softmax"])[-2:] == ["softmax_loss_naive", "softmax_loss_vectorized"]
    with pytest.raises(ValueError, match="'train' matches LinearClassifier.train, TwoLayerNet.train"):
        check.resolve(["train"])
    with pytest.raises(ValueError, match="'svm_loss' is none of them"):
        check.resolve(["svm_loss"])
    with pytest.raises(ValueError, match="features part has no function of yours"):
        check.resolve(["features"])


def test_the_inline_report_as_text_and_html():
    report = check.CheckReport([FakeVerdict("svm_loss_naive", "ok"), FakeVerdict("svm_loss_vectorized", "to write"),
                                FakeVerdict("LinearClassifier.predict", "wrong", "y_pred has shape (10,)",
                                            "argmax along axis 0", "take axis=1")])
    text = str(report).splitlines()
    assert text[0].split() == ["svm_loss_naive", "ok"] and text[1].split() == ["svm_loss_vectorized", "to", "write"]
    assert text[2].split() == ["LinearClassifier.predict", "WRONG"]
    assert text[3].strip() == "y_pred has shape (10,) -- likely argmax along axis 0 -- fix: take axis=1"
    page = report._repr_html_()
    assert page.count("<tr>") == 4 and "argmax along axis 0" in page and "<code>svm_loss_naive</code>" in page


STUB_TEST = '''
def fake_region():
    raise NotImplementedError("TODO: write KNearestNeighbor.predict_labels")

def test_one():
    fake_region()

def test_two():
    fake_region()

def test_real_failure():
    assert 1 == 2
'''


def test_a_plain_pytest_run_reports_stubs_briefly_and_ends_with_what_is_left(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_knn.py").write_text(STUB_TEST)
    (tmp_path / "conftest.py").write_text("from cs231n.check import StubSummary\n\n\ndef pytest_configure(config):\n"
                                          "    config.pluginmanager.register(StubSummary(), 'stubs')\n")
    env = dict(os.environ, COLUMNS="120", PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
    env.pop("PYTEST_ADDOPTS", None)
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "tests"], cwd=tmp_path,
                         env=env, capture_output=True, text=True, timeout=60)
    out = run.stdout
    assert run.returncode == 1
    assert "SS" in out and "still to write: the stubs these tests ran into" in out
    assert "knn                2  KNearestNeighbor.predict_labels" in out
    assert "assert 1 == 2" in out  # a real failure keeps its traceback
    assert "fake_region()" not in out.split("still to write")[0].split("test_real_failure")[0]  # stubs do not


def test_the_report_shows_the_table_as_plain_text_too():
    """IPython stores repr() as the text/plain form of a display; it must be the table, not an object address."""
    report = check.CheckReport([FakeVerdict("svm_loss_naive", "ok")])
    assert repr(report) == str(report) == "svm_loss_naive  ok"
