"""The self-check: run each part's unit tests, print a table, and name what is wrong.

    python -m cs231n.check                  # all five parts (what `make check` runs)
    python -m cs231n.check knn svm          # only these parts
    python -m cs231n.check two_layer_net -v # also pytest's tracebacks of the failing tests
    python -m cs231n.check -- -x            # anything after `--` goes to pytest

Below the table stands one line per function that is wrong: what was observed (with the numbers), the likely
mistake and the fix. The diagnoses come from cs231n.diagnoses, which probes the student's functions (stored
expected values, numerical gradients of the student's own code, invariants). A function still to write -- its
region holds the stub `raise NotImplementedError("TODO: write ...")` -- is listed as "to write", not diagnosed.

In a notebook, check("svm_loss_naive") -- or check("svm") for a whole part -- shows the same verdicts inline.

The module also holds the pytest hooks that conftest.py installs: a test that runs into a stub is reported as
STUB (letter S) without a traceback, and a plain pytest run ends with the functions still to write, per part.
"""

import argparse
import html
import shutil
import sys
import textwrap

import pytest

from cs231n import parts

EXIT_HINT = "A stub raises NotImplementedError until you write the code between its START/END lines."


# ------------------------------------------------------------------------------------------------ pytest hooks


class StubMarker:
    """Marks the report of a test that failed on a student-edition stub with the stub's name (report.stub)."""

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        report = outcome.get_result()
        if report.failed and call.excinfo is not None:
            name = parts.stub_name(call.excinfo.value, call.excinfo.tb)
            if name is not None:
                report.stub = name

    def pytest_report_teststatus(self, report, config):
        if report.failed and getattr(report, "stub", None):
            return "stub", "S", ("STUB", {"yellow": True})
        return None


class StubSummary(StubMarker):
    """For plain pytest runs (conftest.py installs it): ends the run with the functions still to write, per part.

    Stays silent when the self-check runs pytest (it prints the same in its own table)."""

    def pytest_terminal_summary(self, terminalreporter, exitstatus, config):
        if any(isinstance(plugin, Tally) for plugin in config.pluginmanager.get_plugins()):
            return
        stubs = {}  # part -> {stub name: number of tests}
        for report in terminalreporter.stats.get("stub", []):
            names = stubs.setdefault(parts.part_of_test(report.nodeid) or "other", {})
            names[report.stub] = names.get(report.stub, 0) + 1
        if not stubs:
            return
        tr = terminalreporter
        tr.write_sep("=", "still to write: the stubs these tests ran into", yellow=True)
        tr.write_line(f"{'part':<14} {'tests':>5}  functions")
        for part in sorted(stubs, key=_part_order):
            names = stubs[part]
            lines = _wrap(", ".join(names), _width() - 22)
            tr.write_line(f"{part:<14} {sum(names.values()):>5}  {lines[0]}")
            for more in lines[1:]:
                tr.write_line(" " * 22 + more)
        tr.write_line("Write each between its START/END lines in cs231n/; `make check` shows the progress per part.")


class Tally(StubMarker):
    """Counts each test's outcome once (passed, failed, stub or skipped), and the files that fail to import."""

    def __init__(self):
        self.outcome = {}  # nodeid -> "passed" | "failed" | "stub" | "skipped"
        self.stubs = {}  # nodeid -> stub name
        self.errors = []  # nodeids of files that did not import

    def pytest_runtest_logreport(self, report):
        nodeid = report.nodeid
        if report.failed:
            if getattr(report, "stub", None):
                self.stubs[nodeid] = report.stub
                self.outcome.setdefault(nodeid, "stub")
            else:
                self.outcome[nodeid] = "failed"  # a failing teardown overrides a passed call
        elif report.skipped:
            self.outcome.setdefault(nodeid, "skipped")
        elif report.when == "call":
            self.outcome.setdefault(nodeid, "passed")

    def pytest_collectreport(self, report):
        if report.failed:
            self.errors.append(report.nodeid)

    def counts(self, part):
        """{"passed": n, "failed": n, "stub": n, "skipped": n} for one part, and the stub names in order."""
        counts = dict.fromkeys(("passed", "failed", "stub", "skipped"), 0)
        names = []
        for nodeid, outcome in self.outcome.items():
            if parts.part_of_test(nodeid) == part:
                counts[outcome] += 1
                if nodeid in self.stubs and self.stubs[nodeid] not in names:
                    names.append(self.stubs[nodeid])
        return counts, names


# ------------------------------------------------------------------------------------------------- verdicts


def verdicts_for(functions):
    """cs231n.diagnoses' verdict for each function name, in order."""
    from cs231n import diagnoses

    return [diagnoses.diagnose(function) for function in functions]


def resolve(names):
    """Function names from what a notebook passes to check(): full names ("TwoLayerNet.loss"), the part after
    the class ("compute_distances_no_loops"), or part names ("svm", all of its functions)."""
    every = list(dict.fromkeys(f for part in parts.PARTS for f in part.functions))
    functions = []
    for name in names:
        if name in parts.NAMES:
            matches = list(parts.get(name).functions)
        else:
            matches = [f for f in every if f == name or f.endswith("." + name)]
        if not matches and name in parts.NAMES:
            raise ValueError(f"the {name} part has no function of yours in cs231n/: its exercises are in the "
                             "notebook, which checks them with assertions")
        if not matches or (len(matches) > 1 and name not in parts.NAMES):
            found = "matches " + ", ".join(matches) if matches else "is none of them"
            raise ValueError(f"check() takes the name of a function you write or of a part; {name!r} {found}. "
                             f"Functions: {', '.join(every)}; parts: {', '.join(parts.NAMES)}.")
        functions += [f for f in matches if f not in functions]
    return functions


def _status_word(verdict):
    return {"ok": "ok", "to write": "to write", "wrong": "WRONG"}.get(verdict.status, verdict.status)


def finding_text(observed, mistake, fix):
    """One finding as one line (before wrapping): what was observed, the likely mistake, the fix."""
    return observed + (f" -- likely {mistake}" if mistake else "") + (f" -- fix: {fix}" if fix else "")


def diagnosis_lines(verdict):
    """One line per finding of a function that is wrong, each starting with the function's name."""
    return [f"{verdict.function}: {finding_text(*finding)}" for finding in verdict.findings()]


class CheckReport:
    """The verdicts of check(), shown as a small table: HTML in JupyterLab, aligned text elsewhere."""

    def __init__(self, verdicts):
        self.verdicts = verdicts

    def __str__(self):
        width = max(len(v.function) for v in self.verdicts)
        lines = []
        for v in self.verdicts:
            lines.append(f"{v.function:<{width}}  {_status_word(v)}")
            for finding in v.findings():
                lines += ["    " + line for line in _wrap(finding_text(*finding), 100)]
        return "\n".join(lines)

    __repr__ = __str__  # what IPython stores as text/plain, shown where HTML is not (a terminal, nbconvert to text)

    def _repr_html_(self):
        colours = {"ok": "#1a7f37", "to write": "#9a6700", "wrong": "#cf222e"}
        rows = []
        for v in self.verdicts:
            detail = "<br>".join(html.escape(finding_text(*finding)) for finding in v.findings())
            rows.append(f'<tr><td style="text-align:left"><code>{html.escape(v.function)}</code></td>'
                        f'<td style="text-align:left;color:{colours.get(v.status, "inherit")};font-weight:bold">'
                        f'{_status_word(v)}</td><td style="text-align:left">{detail}</td></tr>')
        return ('<table><thead><tr><th style="text-align:left">function</th><th style="text-align:left">verdict</th>'
                '<th style="text-align:left">what is wrong</th></tr></thead><tbody>' + "".join(rows) +
                "</tbody></table>")


def check(*names):
    """Check functions you wrote and show the verdicts inline: check("svm_loss_naive"), check("svm").

    Every function named (or every function of a part named) is probed by cs231n.diagnoses; a table shows
    "ok", "to write" (still the stub) or "WRONG" with what was observed, the likely mistake and the fix.
    Returns nothing; in a plain Python session the table is printed.
    """
    report = CheckReport(verdicts_for(resolve(names or parts.NAMES[:-1])))
    try:
        from IPython.display import display
    except ImportError:
        display = None
    if display is not None and _in_notebook():
        display(report)
    else:
        print(report)


def _in_notebook():
    shell = sys.modules.get("IPython") and sys.modules["IPython"].get_ipython()
    return shell is not None and hasattr(shell, "kernel")


# ----------------------------------------------------------------------------------------------- the table


def _part_order(name):
    return (parts.NAMES.index(name), name) if name in parts.NAMES else (len(parts.NAMES), name)


def _width():
    return max(60, shutil.get_terminal_size().columns)


def _wrap(text, width):
    """Lines of at most `width` characters (at least 30), broken at spaces."""
    return textwrap.wrap(text, max(width, 30), break_on_hyphens=False) or [""]


def part_status(part, tally, verdicts):
    """The status column of one part and whether the part is done (every test passed).

    "to write" names every function whose probe ran into a stub (tests stop at the first stub they meet, so they
    alone would miss, say, predict behind an unwritten train), then any other stub the tests met.
    """
    counts, stubs = tally.counts(part.name)
    wrong = [v.function for v in verdicts if v.status == "wrong"]
    if any(parts.part_of_test(nodeid) == part.name for nodeid in tally.errors):
        return f"ERROR: {part.tests} does not import (see the error above)", False
    if not any(counts.values()):
        return "not run", False
    if counts["failed"] == counts["stub"] == 0:
        return ("ok" if counts["passed"] else "skipped"), True
    to_write = [v.function for v in verdicts if v.status == "to write"]
    to_write += [name for name in stubs if name.split(" (")[0] not in to_write]
    status = []
    if to_write:
        status.append("to write: " + ", ".join(to_write))
    if wrong:
        status.append("wrong: " + ", ".join(wrong) + " (see below)")
    elif counts["failed"]:
        status.append(f"{counts['failed']} failing test(s), see below")
    return "; ".join(status), False


def table(selected, tally, verdicts):
    """The per-part table and the lines below it, as a list of lines; and whether every test passed."""
    head = f"{'part':<13}  {'passed':>6}  {'failed':>6}  {'stubs':>5}  {'skipped':>7}  status"
    rows, below, all_ok = [head], [], True
    for part in selected:
        mine = sorted((v for v in verdicts if v.function in part.functions),
                      key=lambda v: part.functions.index(v.function))
        status, ok = part_status(part, tally, mine)
        all_ok &= ok
        counts, _ = tally.counts(part.name)
        cells = (f"{part.name:<13}  {counts['passed']:>6}  {counts['failed']:>6}  {counts['stub']:>5}  "
                 f"{counts['skipped']:>7}  ")
        for i, line in enumerate(_wrap(status, _width() - len(cells))):
            rows.append((cells if i == 0 else " " * len(cells)) + line)
        if counts["failed"] and not any(v.status == "wrong" for v in mine):
            below.append(f"{part.name}: {counts['failed']} test(s) fail that the probes do not explain; run "
                         f"`python -m cs231n.check {part.name} -v` for their tracebacks.")
    shown = set()
    for v in verdicts:
        if v.function not in shown:
            shown.add(v.function)
            below += diagnosis_lines(v)
    if below:
        rows += ["", "What is wrong (one line per finding; `-v` shows the failing tests' tracebacks):"]
        for line in below:
            wrapped = _wrap(line, _width() - 4)
            rows += ["- " + wrapped[0]] + ["  " + more for more in wrapped[1:]]
    return rows, all_ok


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[:argv.index("--")] if "--" in argv else argv
    parser = argparse.ArgumentParser(prog="python -m cs231n.check", description=__doc__.split("\n\n")[0])
    parser.add_argument("parts", nargs="*", metavar="part", help=f"some of {', '.join(parts.NAMES)} (default: all)")
    parser.add_argument("-v", "--verbose", action="store_true", help="show pytest's tracebacks of failing tests")
    args = parser.parse_args(argv)
    unknown = [name for name in args.parts if name not in parts.NAMES]
    if unknown:
        parser.error(f"unknown part {', '.join(unknown)}; choose from {', '.join(parts.NAMES)}")
    selected = [parts.get(name) for name in dict.fromkeys(args.parts or parts.NAMES)]
    files = [str(parts.ROOT / part.tests) for part in selected if (parts.ROOT / part.tests).exists()]

    tally = Tally()
    output = ["--tb=short", "-ra"] if args.verbose else ["--tb=no", "-rN"]
    # nbval is for the notebooks, and merely loading it takes seconds.
    pytest.main(["-q", "--no-header", *output, "-p", "no:cacheprovider", "-p", "no:nbval",
                 "--rootdir", str(parts.ROOT), "--continue-on-collection-errors", *files, *extra], plugins=[tally])
    functions = list(dict.fromkeys(f for part in selected for f in part.functions))
    rows, ok = table(selected, tally, verdicts_for(functions))
    print()
    print("\n".join(rows))
    if not ok and tally.stubs:
        print("\n" + EXIT_HINT)
    return 0 if ok else 1


if __name__ == "__main__":
    # Run as `python -m cs231n.check`, this file is __main__; conftest.py imports cs231n.check. Use that one module,
    # so that conftest's StubSummary recognises our Tally and leaves the summary to the table.
    from cs231n.check import main as check_main

    sys.exit(check_main())
