"""Project-wide pytest configuration.

nbval compares the stored outputs of every notebook cell with a fresh run. Warnings and progress bars go to
stderr and vary between machines, so stderr is never compared; everything else follows
tests/nbval_sanitize.cfg and the per-cell `nbval-ignore-output` tags.

In the student edition, tests that fail on a stub are reported briefly, with a table per part (see below).
"""

import linecache
import shutil
from pathlib import PurePath

import pytest


def pytest_collectstart(collector):
    if type(collector).__name__ == "IPyNbFile":
        collector.skip_compare = (*collector.skip_compare, "stderr")


# ------------------------------------------------------------------------------------------------------------------
# Student edition: which functions are still stubs.
#
# tools/make_student.py replaces the code of each student region with `raise NotImplementedError("TODO: write
# <name>")` on the line after the START marker. A test that fails on such a stub is counted as STUB (letter S)
# instead of FAILED: it still fails the run, but prints no traceback; the run ends with one line per part naming the
# functions still to write. Failures of code a student did write keep their full tracebacks. In the solution
# edition no test runs into a stub, so nothing here shows.

_START_MARKER = "# *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****"
_STUB_PREFIX = "TODO: write "
_PARTS = ("knn", "svm", "softmax", "two_layer_net", "features")


def stub_name(excinfo):
    """The name a student-edition stub gives (e.g. 'TwoLayerNet.loss'), or None if excinfo is not from a stub.

    A stub is a `raise NotImplementedError(...)` line right after a START marker, or one whose message starts with
    "TODO: write " (a stub line left in place under the student's code).
    """
    if excinfo is None or not isinstance(excinfo.value, NotImplementedError):
        return None
    tb = excinfo.tb
    while tb.tb_next is not None:
        tb = tb.tb_next
    filename, lineno = tb.tb_frame.f_code.co_filename, tb.tb_lineno
    line = linecache.getline(filename, lineno).strip()
    message = str(excinfo.value)
    if not line.startswith("raise NotImplementedError("):
        return None
    if message.startswith(_STUB_PREFIX):
        return message[len(_STUB_PREFIX):]
    if linecache.getline(filename, lineno - 1).strip() == _START_MARKER:
        code = tb.tb_frame.f_code
        return getattr(code, "co_qualname", code.co_name)
    return None


def _wrap(names, width):
    """Comma-separated names in lines of at most `width` characters, never breaking inside a name."""
    rows = [""]
    for name in names:
        piece = name + ", " if name != names[-1] else name
        if rows[-1] and len(rows[-1] + piece.rstrip()) > width:
            rows[-1] = rows[-1].rstrip()
            rows.append("")
        rows[-1] += piece
    return rows


def _part_of(nodeid):
    """'tests/test_knn.py::test_x[1]' -> 'knn'; a file outside the five parts gives its own name."""
    stem = PurePath(nodeid.split("::")[0]).stem
    return stem[len("test_"):] if stem.startswith("test_") else stem


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        name = stub_name(call.excinfo)
        if name is not None:
            report.stub = name


def pytest_report_teststatus(report, config):
    if report.failed and getattr(report, "stub", None):
        return "stub", "S", ("STUB", {"yellow": True})
    return None


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    # tools/check.py prints the same information in its own per-part table.
    if any(getattr(plugin, "cs231n_check", False) for plugin in config.pluginmanager.get_plugins()):
        return
    stubs = {}  # part -> {stub name: number of tests}
    for report in terminalreporter.stats.get("stub", []):
        names = stubs.setdefault(_part_of(report.nodeid), {})
        names[report.stub] = names.get(report.stub, 0) + 1
    if not stubs:
        return
    tr = terminalreporter
    tr.write_sep("=", "still to write: the stubs these tests ran into", yellow=True)
    tr.write_line(f"{'part':<14} {'tests':>5}  functions")
    order = {part: i for i, part in enumerate(_PARTS)}
    for part in sorted(stubs, key=lambda p: (order.get(p, len(order)), p)):
        names = stubs[part]
        row = _wrap(list(names), max(40, shutil.get_terminal_size().columns - 23))
        tr.write_line(f"{part:<14} {sum(names.values()):>5}  {row[0]}")
        for more in row[1:]:
            tr.write_line(" " * 22 + more)
    tr.write_line("Write each between its START/END lines in cs231n/; `make check` shows the progress per part.")
