"""Self-check: run the unit tests of each part and print a table of what passes.

    python tools/check.py                 # all five parts (what `make check` runs)
    python tools/check.py knn svm         # only these parts
    python tools/check.py -- -x --tb=long # anything after `--` goes to pytest

A part's unit tests live in tests/test_<part>.py. In the student edition, a test that runs into a stub (a
function still to write) is counted under "stubs", and the table names those functions; other failures are
printed by pytest above the table, with their tracebacks. Exit status 0 when every test passed.
"""

import argparse
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("knn", "svm", "softmax", "two_layer_net", "features")


class Tally:
    """A pytest plugin counting each test's outcome per part (the stub names come from conftest.py)."""

    cs231n_check = True  # conftest.py leaves its own stub table out when this plugin is there

    def __init__(self):
        self.outcome = {}  # nodeid -> "passed" | "failed" | "skipped" | "stub"
        self.stubs = {}  # nodeid -> stub name
        self.errors = []  # collection errors: (file, summary)

    def pytest_runtest_logreport(self, report):
        nodeid = report.nodeid
        if report.failed:
            if getattr(report, "stub", None):
                self.stubs[nodeid] = report.stub
                if self.outcome.get(nodeid) != "failed":
                    self.outcome[nodeid] = "stub"
            else:
                self.outcome[nodeid] = "failed"
        elif report.skipped and nodeid not in self.outcome:
            self.outcome[nodeid] = "skipped"
        elif report.passed and report.when == "call" and nodeid not in self.outcome:
            self.outcome[nodeid] = "passed"

    def pytest_collectreport(self, report):
        if report.failed:
            self.errors.append((report.nodeid, str(report.longrepr).strip().splitlines()[-1:]))


def _wrap(text, width):
    """Lines of at most `width` characters (at least 30), broken after commas only: names stay whole."""
    rows = []
    for piece in text.split(", "):
        if rows and len(rows[-1]) + 2 + len(piece) <= max(width, 30):
            rows[-1] += ", " + piece
        else:
            if rows:
                rows[-1] += ","
            rows.append(piece)
    return rows


def part_of(nodeid):
    return Path(nodeid.split("::")[0]).stem.removeprefix("test_")


def table(tally, parts):
    """The per-part table as a list of lines, and whether every test passed."""
    rows, ok = [], True
    width = max(len(p) for p in parts + ("part",))
    rows.append(f"{'part':<{width}}  {'passed':>6}  {'failed':>6}  {'stubs':>5}  {'skipped':>7}  status")
    for part in parts:
        counts = {"passed": 0, "failed": 0, "stub": 0, "skipped": 0}
        stubs = []
        for nodeid, outcome in tally.outcome.items():
            if part_of(nodeid) == part:
                counts[outcome] += 1
                name = tally.stubs.get(nodeid)
                if name and name not in stubs:
                    stubs.append(name)
        errors = [e for e in tally.errors if part_of(e[0]) == part]
        if errors:
            status = f"ERROR: tests/test_{part}.py does not import (see the error above)"
        elif not (ROOT / "tests" / f"test_{part}.py").exists():
            status = "no tests"
        elif not any(counts.values()):
            status = "not run"
        elif counts["failed"] == counts["stub"] == 0:
            status = "ok" if counts["passed"] else "skipped"
        elif stubs:
            status = "to write: " + ", ".join(stubs) + (" (+ failures above)" if counts["failed"] else "")
        else:
            status = "FAILING (see above)"
        ok = ok and status in ("ok", "skipped", "no tests")
        head = (f"{part:<{width}}  {counts['passed']:>6}  {counts['failed']:>6}  {counts['stub']:>5}  "
                f"{counts['skipped']:>7}  ")
        for i, line in enumerate(_wrap(status, shutil.get_terminal_size().columns - len(head))):
            rows.append((head if i == 0 else " " * len(head)) + line)
    return rows, ok


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[:argv.index("--")] if "--" in argv else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("parts", nargs="*", metavar="part", help=f"some of {', '.join(PARTS)} (default: all)")
    args = parser.parse_args(argv)
    unknown = [p for p in args.parts if p not in PARTS]
    if unknown:
        parser.error(f"unknown part {', '.join(unknown)}; choose from {', '.join(PARTS)}")
    parts = tuple(args.parts) or PARTS
    files = [f"tests/test_{p}.py" for p in parts if (ROOT / "tests" / f"test_{p}.py").exists()]

    import pytest

    tally = Tally()
    os.chdir(ROOT)
    if files:
        # nbval is for the notebooks, and loading it alone takes seconds
        pytest.main(["-q", "--tb=short", "-p", "no:cacheprovider", "-p", "no:nbval", "--continue-on-collection-errors",
                     *files, *extra], plugins=[tally])
    rows, ok = table(tally, parts)
    print()
    print("\n".join(rows))
    if not ok:
        print("\nA stub raises NotImplementedError until you write the code between its START/END lines.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
