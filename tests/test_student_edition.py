"""The student edition: tools/make_student.py, the stub summary in conftest.py and tools/check.py.

The first half works on a tiny synthetic project (fake modules, tests and a notebook with marked regions), so it
does not depend on the real parts. The second half generates the student edition of this very checkout and checks
it: no solution line survives, each region holds exactly its stub, the stubs import, the notebooks carry no
outputs, lint passes, every part's unit tests fail on the stubs, and putting the solution back makes them pass.
Inside a student edition (which has no solutions to put back) the round-trip tests are skipped.
"""

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("make_student", ROOT / "tools" / "make_student.py")
ms = importlib.util.module_from_spec(_spec)
sys.modules["make_student"] = ms
_spec.loader.exec_module(ms)

S, E = ms.START, ms.END
PARTS = ("knn", "svm", "softmax", "two_layer_net", "features")
PART_MODULES = {"knn": "cs231n/classifiers/k_nearest_neighbor.py", "svm": "cs231n/classifiers/linear_svm.py",
                "softmax": "cs231n/classifiers/softmax.py", "two_layer_net": "cs231n/classifiers/neural_net.py",
                "features": "cs231n/features.py"}
IS_STUDENT_EDITION = (ROOT / ms.EDITION_FILE).exists()
solution_only = pytest.mark.skipif(IS_STUDENT_EDITION, reason="the student edition has no solutions to put back")


# ------------------------------------------------------------------------------------------ helpers
def _env(copy, *extra_paths):
    """Environment for a subprocess that must import the copy's cs231n, not the installed solution."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(copy), *map(str, extra_paths)]), MPLBACKEND="Agg",
               PYTEST_DISABLE_PLUGIN_AUTOLOAD="1",  # unit tests need no plugin; nbval alone takes seconds to load
               COLUMNS="200")  # tables unwrapped
    env.pop("PYTEST_ADDOPTS", None)
    return env


def _run(args, cwd, timeout=120, **kw):
    return subprocess.run([sys.executable, *args], cwd=cwd, env=_env(cwd, *kw.pop("paths", ())),
                          capture_output=True, text=True, timeout=timeout, **kw)


def _norm(line):
    return "".join(line.split())


def _is_stub(norm):
    return norm == "pass" or norm.startswith('raiseNotImplementedError("' + _norm(ms.STUB_PREFIX))


def _chunks(root, path):
    """(where, lines, kind) for the parts of a file that can hold solutions.

    kind: "code" (a module or code cell: solutions sit in its regions), "solution" (a cell tagged so: all of it is
    solution) or "text" (a markdown or raw cell).
    """
    text = (root / path).read_text(encoding="utf-8")
    if ms._is_stubbed_python(path):
        return [(path, text.split("\n"), "code")]
    if ms._is_notebook(path):
        chunks = []
        for i, cell in enumerate(json.loads(text)["cells"]):
            kind = ("solution" if "solution" in cell.get("metadata", {}).get("tags", [])
                    else "code" if cell.get("cell_type") == "code" else "text")
            chunks.append((f"{path}, cell {i + 1}", ms._cell_lines(cell), kind))
        return chunks
    return []


def solution_lines(root):
    """{normalised line: 'file:line'} for the lines a student edition must not contain.

    The lines inside regions (and solution cells), except blank lines, comments, stubs, very short lines and
    lines that also occur as code outside every region (`return loss, dW`, `num_train = X.shape[0]`): those carry
    no solution. Lines of tests, docs or markdown cells are not excluded, so a test or an explanation quoting a
    solution line verbatim is reported too.
    """
    inside, outside = {}, set()
    for path in ms.source_files(root):
        for where, lines, kind in _chunks(root, path):
            in_region = set(range(len(lines))) if kind == "solution" else set()
            for region in ms.find_regions(lines, where) if kind == "code" else []:
                in_region.update(range(region.start + 1, region.end))
            for i, line in enumerate(lines):
                if i in in_region:
                    inside.setdefault(_norm(line), f"{where}:{i + 1}")
                elif kind == "code":
                    outside.add(_norm(line))
    return {n: where for n, where in inside.items()
            if len(n) > 5 and not n.startswith("#") and not _is_stub(n) and n not in outside}


def _text_lines(path):
    """Every line of text in a file; for a notebook, its cell sources and outputs. None for a binary file."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None
    if path.suffix != ".ipynb":
        return text.split("\n")
    lines = []
    for cell in json.loads(text)["cells"]:
        lines += ms._cell_lines(cell)
        for output in cell.get("outputs", []):
            for value in [output.get("text", ""), *output.get("data", {}).values()]:
                value = "".join(value) if isinstance(value, list) else value
                lines += value.split("\n") if isinstance(value, str) else json.dumps(value).split("\n")
    return lines


def find_leaks(copy, solution):
    """'file:line: text (from where)' for each line of the copy that is one of the solution lines."""
    leaks = []
    for path in sorted(p for p in copy.rglob("*") if p.is_file()):
        for i, line in enumerate(_text_lines(path) or []):
            where = solution.get(_norm(line))
            if where:
                leaks.append(f"{path.relative_to(copy).as_posix()}:{i + 1}: {line.strip()}   (from {where})")
    return leaks


def regions_of(root, path):
    """[(where, lines, regions, tagged)] for a module or for each code cell of a notebook; tagged: a "solution" cell."""
    text = (root / path).read_text(encoding="utf-8")
    if ms._is_stubbed_python(path):
        lines = text.split("\n")
        return [(path, lines, ms.find_regions(lines, path), False)]
    chunks = []
    for i, cell in enumerate(json.loads(text)["cells"] if ms._is_notebook(path) else []):
        if cell.get("cell_type") == "code":
            where, lines = f"{path}, cell {i + 1}", ms._cell_lines(cell)
            chunks.append((where, lines, ms.find_regions(lines, where), "solution" in ms._tags(cell)))
    return chunks


def check_structure(root, dest, report):
    """Each region of the copy holds exactly its stub, and the copy has a region wherever the source has one."""
    checked = 0
    for path in ms.source_files(root):
        source, copy = regions_of(root, path), regions_of(dest, path)
        expected = [1 if tagged else len(regions) for _, _, regions, tagged in source]
        assert [len(regions) for _, _, regions, _ in copy] == expected, path
        for where, lines, regions, _ in copy:
            for region in regions:
                body = [_norm(line) for line in lines[region.start + 1:region.end]]
                assert len(body) == 1 and _is_stub(body[0]), f"{where}, line {region.start + 1}: {body}"
                checked += 1
    assert checked == sum(report.regions.values())


def restore(copy, root, path, names=None):
    """Put the solution of regions back into the copy's module `path`: those whose stub names one of `names`
    (all when None). Returns the names restored."""
    source = (root / path).read_text(encoding="utf-8").split("\n")
    lines = (copy / path).read_text(encoding="utf-8").split("\n")
    src_regions, dst_regions = ms.find_regions(source, path), ms.find_regions(lines, path)
    assert len(src_regions) == len(dst_regions)
    restored = []
    for src, dst in reversed(list(zip(src_regions, dst_regions))):
        stub = lines[dst.start + 1].strip()
        name = stub[len('raise NotImplementedError("' + ms.STUB_PREFIX):-2] if stub.startswith("raise") else None
        if names is None or name in names:
            lines[dst.start + 1:dst.end] = source[src.start + 1:src.end]
            restored.append(name)
    (copy / path).write_text("\n".join(lines), encoding="utf-8")
    return restored


DUMP_PLUGIN = '''
import json, os
outcomes = {}
def pytest_runtest_logreport(report):
    entry = outcomes.setdefault(report.nodeid, {"outcome": "passed", "stub": None})
    if report.failed:
        entry["outcome"] = "failed"
        entry["stub"] = entry["stub"] or getattr(report, "stub", None)
    elif report.skipped and entry["outcome"] == "passed":
        entry["outcome"] = "skipped"
def pytest_sessionfinish(session):
    with open(os.environ["STUB_DUMP"], "w") as f:
        json.dump(outcomes, f)
'''


def run_part_tests(copy, tmp, parts):
    """Run tests/test_<part>.py in the copy; returns {nodeid: {"outcome", "stub"}} (stub: the stub name hit)."""
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "stub_dump_plugin.py").write_text(DUMP_PLUGIN)
    dump = tmp / "outcomes.json"
    files = [f"tests/test_{p}.py" for p in parts]
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "--tb=line", "-p", "no:cacheprovider",
                           "-p", "stub_dump_plugin", *files], cwd=copy, env=dict(_env(copy, tmp), STUB_DUMP=str(dump)),
                          capture_output=True, text=True, timeout=300)
    assert dump.exists(), f"pytest did not run in the student edition:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return json.loads(dump.read_text())


def by_part(outcomes):
    parts = {}
    for nodeid, entry in outcomes.items():
        parts.setdefault(Path(nodeid.split("::")[0]).stem.removeprefix("test_"), []).append(entry)
    return parts


# ----------------------------------------------------------------------------- the synthetic project
FAKE_MODULE = f'''"""A fake module with student regions."""

import numpy as np

{S}
_HINT = "module-level regions get `pass`"
{E}


class Doubler:
    def double(self, x):
        """x: (N,) -> (N,)."""
        x = np.asarray(x)
        {S}
        out = x * 2  # the one solution line of double
        {E}
        return out

    def halve_then_square(self, x):
        {S}
        half = x / 2
        {E}
        if x is not None:
            {S}
            # a comment first: the stub takes the indentation of the code
            result = half ** 2
            {E}
        return result


def total(values):
    if not values:
        raise ValueError("values is empty")
    {S}
    acc = 0
    for v in values:
        acc += v
    {E}
    return acc
'''
FAKE_SVM = f'''def hinge(margin):
    {S}
    loss_value = max(0.0, margin)
    {E}
    return loss_value
'''
FAKE_TEST_KNN = '''import pytest

from cs231n.classifiers.k_nearest_neighbor import Doubler, total


def test_double():
    assert list(Doubler().double([1, 2])) == [2, 4]


def test_halve_then_square():
    assert Doubler().halve_then_square(4.0) == 4.0


def test_total():
    assert total([1, 2, 3]) == 6


def test_total_rejects_empty():
    with pytest.raises(ValueError):
        total([])
'''
FAKE_TEST_SVM = '''from cs231n.classifiers.linear_svm import hinge


def test_hinge():
    assert hinge(0.5) == 0.5 and hinge(-1.0) == 0.0
'''
FAKE_PYPROJECT = '''[tool.pytest.ini_options]
testpaths = ["tests"]
addopts = "-ra"

[tool.ruff.lint.per-file-ignores]
"notebooks/*.ipynb" = ["E402"]
'''
FAKE_MAKEFILE = "NBVAL_ARGS := --nbval --nbval-current-env\n\ntest:\n\tpytest $(NBVAL_ARGS)\n"


def _fake_notebook():
    def code(source, outputs=(), tags=(), count=3):
        return {"cell_type": "code", "execution_count": count, "id": f"c{len(source)}",
                "metadata": {"tags": list(tags), "execution": {"iopub.status.busy": "2026-01-01T00:00:00Z"}},
                "outputs": list(outputs), "source": source}

    def markdown(source, tags=()):
        return {"cell_type": "markdown", "id": f"m{len(source)}", "metadata": {"tags": list(tags)},
                "source": source}

    stream = {"name": "stdout", "output_type": "stream", "text": ["best k = 10\n"]}
    cells = [
        markdown("**Question:** why is k = 1 not the best choice?"),
        markdown("Because one neighbour fits the noise: **the answer cell**.", tags=["solution"]),
        code(f"%matplotlib inline\nks = [1, 5, 10]\n{S}\nbest_k = sorted(ks, key=lambda k: -k)[0]\n{E}\n"
             "print('best k =', best_k)", outputs=[stream]),
        code("for k in [1, 2]:\n" f"    {S}\n    fold_accuracy = k * 0.25 + 0.125\n    {E}\n    print(k)",
             tags=["nbval-ignore-output"]),
        code("whole_cell_solution = 12345 * 2", tags=["solution"]),
    ]
    return {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                        "language": "python"},
                                         "widgets": {"state": {"tqdm": 1}}},
            "nbformat": 4, "nbformat_minor": 5}


def make_fake_project(root):
    files = {
        "cs231n/__init__.py": "",
        "cs231n/classifiers/__init__.py": "",
        "cs231n/classifiers/k_nearest_neighbor.py": FAKE_MODULE,
        "cs231n/classifiers/linear_svm.py": FAKE_SVM,
        "tests/test_knn.py": FAKE_TEST_KNN,
        "tests/test_svm.py": FAKE_TEST_SVM,
        "tests/test_gradient_check.py": "def test_foundation():\n    assert 1 + 1 == 2\n",
        "pyproject.toml": FAKE_PYPROJECT,
        "Makefile": FAKE_MAKEFILE,
        "README.md": "# Fake project\n\nSome text.\n",
        "notebooks/knn.ipynb": json.dumps(_fake_notebook(), indent=1),
        "datasets/get_datasets.sh": "#!/bin/sh\npython -m cs231n.datasets\n",
        # never copied: environments, build output, caches, data
        ".venv/lib/site.py": "x = 1\n",
        "build/old/file.txt": "old\n",
        "cs231n/__pycache__/x.cpython-311.pyc": "",
        "datasets/cifar-10-batches-py/data_batch_1": "data\n",
        "cs231n_a1.egg-info/PKG-INFO": "x\n",
    }
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    (root / "datasets/get_datasets.sh").chmod(0o755)
    for path in ("conftest.py", "tools/make_student.py", "tools/check.py"):
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text((ROOT / path).read_text())
    return root


@pytest.fixture
def fake(tmp_path):
    return make_fake_project(tmp_path / "solution")


@pytest.fixture
def fake_edition(fake, tmp_path):
    dest = tmp_path / "student"
    report = ms.build(dest, root=fake)
    return fake, dest, report


# ------------------------------------------------------------------------------- generator: modules
def test_stubs_keep_markers_and_indentation_and_name_the_function(fake_edition):
    fake, dest, report = fake_edition
    got = (dest / "cs231n/classifiers/k_nearest_neighbor.py").read_text()
    expected = FAKE_MODULE
    for old, new in [
        (f'{S}\n_HINT = "module-level regions get `pass`"\n', f"{S}\npass\n"),
        (f"        {S}\n        out = x * 2  # the one solution line of double\n",
         f'        {S}\n        raise NotImplementedError("TODO: write Doubler.double")\n'),
        (f"        {S}\n        half = x / 2\n",
         f'        {S}\n        raise NotImplementedError("TODO: write Doubler.halve_then_square (region 1 of 2)")\n'),
        (f"            {S}\n            # a comment first: the stub takes the indentation of the code\n"
         "            result = half ** 2\n",
         f"            {S}\n            raise NotImplementedError("
         '"TODO: write Doubler.halve_then_square (region 2 of 2)")\n'),
        (f"    {S}\n    acc = 0\n    for v in values:\n        acc += v\n",
         f'    {S}\n    raise NotImplementedError("TODO: write total")\n'),
    ]:
        assert old in expected
        expected = expected.replace(old, new)
    assert got == expected
    assert report.regions == {"cs231n/classifiers/k_nearest_neighbor.py": 5, "cs231n/classifiers/linear_svm.py": 1,
                              "notebooks/knn.ipynb": 3}
    assert report.answers == {"notebooks/knn.ipynb": 1}


@pytest.mark.parametrize("text, line, words", [
    (f"x = 1\n{E}\n", 2, "END marker without a START"),
    (f"def f():\n    {S}\n    {S}\n    x = 1\n    {E}\n", 3, "inside the region opened at line 2"),
    (f"def f():\n    x = 0\n    {S}\n    x = 1\n", 3, "has no END marker"),
    (f"def f():\n    {S}\n    x = 1\n    # *****END OF YOUR CODE (DO NOT DELETE THIS LINE)*****\n", 4,
     "altered marker"),
])
def test_marker_errors_name_file_and_line_and_nothing_is_written(fake, tmp_path, text, line, words):
    (fake / "cs231n/broken.py").write_text(text)
    dest = tmp_path / "student"
    with pytest.raises(ms.StudentEditionError, match=rf"cs231n/broken.py, line {line}: .*{words}"):
        ms.build(dest, root=fake)
    assert not dest.exists()


def test_marker_error_in_a_notebook_names_the_cell(fake, tmp_path):
    nb = _fake_notebook()
    nb["cells"][3]["source"] = f"{S}\nx = 1\n"
    (fake / "notebooks/knn.ipynb").write_text(json.dumps(nb))
    with pytest.raises(ms.StudentEditionError, match=r"notebooks/knn.ipynb, cell 4, line 1: .*no END marker"):
        ms.build(tmp_path / "student", root=fake)


def test_a_region_that_cannot_be_stubbed_in_place_is_an_error(fake, tmp_path):
    # The region spans two blocks: a single stub line there would not be valid Python.
    (fake / "cs231n/odd.py").write_text(f"def f(x):\n    {S}\n    if x:\n        y = 1\n    {E}\n    else:\n"
                                        "        y = 2\n    return y\n")
    with pytest.raises(ms.StudentEditionError, match=r"cs231n/odd.py, line \d+: the stubbed code is not valid"):
        ms.build(tmp_path / "student", root=fake)


def test_the_copy_is_complete_and_leaves_out_environments_caches_and_data(fake_edition):
    fake, dest, _ = fake_edition
    copied = {p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file()}
    assert copied == {
        "cs231n/__init__.py", "cs231n/classifiers/__init__.py", "cs231n/classifiers/k_nearest_neighbor.py",
        "cs231n/classifiers/linear_svm.py", "tests/test_knn.py", "tests/test_svm.py", "tests/test_gradient_check.py",
        "pyproject.toml", "Makefile", "README.md", "notebooks/knn.ipynb", "datasets/get_datasets.sh",
        "conftest.py", "tools/make_student.py", "tools/check.py", ms.EDITION_FILE}
    assert os.access(dest / "datasets/get_datasets.sh", os.X_OK)
    assert (dest / "tests/test_knn.py").read_text() == FAKE_TEST_KNN


def test_a_git_checkout_gives_its_tracked_files(fake, tmp_path):
    git = ["git", "-C", str(fake), "-c", "user.name=t", "-c", "user.email=t@t"]
    try:
        subprocess.run([*git, "init", "-q"], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("git is not available")
    (fake / ".gitignore").write_text("\n".join([".venv/", "build/", "__pycache__/", "*.egg-info/", "datasets/*",
                                                "!datasets/get_datasets.sh", ""]))
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "fake"], check=True)
    (fake / "scratch.py").write_text("untracked = True\n")
    files = ms.source_files(fake)
    assert "scratch.py" not in files and "tests/test_knn.py" in files and ".gitignore" in files
    assert not any(f.startswith((".venv", "build", "datasets/cifar")) for f in files)


# ----------------------------------------------------------------------------- generator: notebooks
def test_notebooks_lose_outputs_and_answers_and_keep_everything_else(fake_edition):
    fake, dest, _ = fake_edition
    nb = json.loads((dest / "notebooks/knn.ipynb").read_text())
    cells = nb["cells"]
    assert "widgets" not in nb["metadata"] and nb["metadata"]["kernelspec"]["name"] == "python3"
    for cell in cells:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
            assert "execution" not in cell["metadata"]
        assert "solution" not in cell["metadata"].get("tags", [])
    assert "".join(cells[0]["source"]) == "**Question:** why is k = 1 not the best choice?"
    assert "".join(cells[1]["source"]) == ms.ANSWER_PROMPT
    stub = 'raise NotImplementedError("TODO: write the code of this cell")'
    assert "".join(cells[2]["source"]) == (f"%matplotlib inline\nks = [1, 5, 10]\n{S}\n{stub}\n{E}\n"
                                           "print('best k =', best_k)")
    assert "".join(cells[3]["source"]) == f"for k in [1, 2]:\n    {S}\n    {stub}\n    {E}\n    print(k)"
    assert cells[3]["metadata"]["tags"] == ["nbval-ignore-output"]
    assert "".join(cells[4]["source"]) == f"{S}\n{stub}\n{E}"
    nbformat = pytest.importorskip("nbformat")
    nbformat.validate(nbformat.reads(json.dumps(nb), as_version=4))


# ------------------------------------------------------------------------------ generator: edition tweaks
def test_edition_tweaks(fake_edition):
    fake, dest, report = fake_edition
    assert (dest / "Makefile").read_text() == FAKE_MAKEFILE.replace("--nbval ", "--nbval-lax ")
    pyproject = (dest / "pyproject.toml").read_text()
    assert pyproject.startswith(FAKE_PYPROJECT)
    assert '"cs231n/classifiers/k_nearest_neighbor.py" = ["B007", "F401", "F821", "F841"]' in pyproject
    assert (dest / "README.md").read_text().startswith("# Fake project\n\n> **Student edition.**")
    edition = json.loads((dest / ms.EDITION_FILE).read_text())
    assert edition["edition"] == "student" and edition["regions"] == report.regions
    assert set(edition["files"]) == {p.relative_to(dest).as_posix() for p in dest.rglob("*")
                                     if p.is_file() and p.name != ms.EDITION_FILE}


def test_lint_passes_on_the_stubs(fake_edition):
    pytest.importorskip("ruff")
    fake, dest, _ = fake_edition
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--select", "F,B", "cs231n"],
                          cwd=dest, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout


def test_a_student_edition_regenerates_itself_unchanged(fake_edition, tmp_path):
    fake, dest, report = fake_edition
    again = tmp_path / "again"
    assert ms.build(again, root=dest).regions == report.regions
    for path in dest.rglob("*"):
        if path.is_file() and path.name != ms.EDITION_FILE:
            assert (again / path.relative_to(dest)).read_bytes() == path.read_bytes(), path


# ------------------------------------------------------------------------------ generator: destination
@pytest.mark.parametrize("where", [".", "cs231n", "tests/student", ".."])
def test_refuses_to_write_into_the_source_tree(fake, where):
    with pytest.raises(ms.StudentEditionError, match="refusing to write the student edition"):
        ms.build(fake / where, root=fake)


def test_build_folder_of_the_source_is_allowed(fake):
    ms.build(fake / "build" / "student", root=fake)
    assert (fake / "build/student/cs231n/classifiers/linear_svm.py").exists()


def test_non_empty_destination_needs_force(fake, tmp_path, capsys):
    dest = tmp_path / "elsewhere"
    dest.mkdir()
    (dest / "notes.txt").write_text("mine\n")
    assert ms.main([str(dest), "--source", str(fake)]) == 2
    assert "is not empty" in capsys.readouterr().err
    assert ms.main([str(dest), "--source", str(fake), "--force", "--quiet"]) == 0
    assert (dest / "notes.txt").read_text() == "mine\n"  # --force writes over, never deletes unknown files
    assert (dest / "cs231n/classifiers/linear_svm.py").exists()


def test_an_unmodified_edition_is_replaced_a_modified_one_is_kept(fake_edition, capsys):
    fake, dest, _ = fake_edition
    (dest / ".venv").mkdir()  # what a student's `make` adds is no change
    (dest / "cs231n/__pycache__").mkdir()
    (dest / "cs231n/__pycache__/x.pyc").write_text("")
    assert ms.main([str(dest), "--source", str(fake), "--quiet"]) == 0
    work = dest / "cs231n/classifiers/linear_svm.py"
    work.write_text(work.read_text().replace("raise NotImplementedError", "return 0.0  #"))
    assert ms.main([str(dest), "--source", str(fake), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "changes since it was generated (cs231n/classifiers/linear_svm.py)" in err
    assert "return 0.0" in work.read_text()


# ------------------------------------------------------------------- stub summary, check.py, round trip
def test_student_run_reports_stubs_per_part_and_round_trip(fake_edition):
    fake, dest, _ = fake_edition
    proc = _run(["-m", "pytest", "-p", "no:cacheprovider"], cwd=dest)
    out = proc.stdout
    assert proc.returncode == 1, out
    assert "2 passed, 4 stub" in out
    assert "FAILED" not in out and "Traceback" not in out and "def double" not in out  # no wall of tracebacks
    table = out[out.index("still to write"):]
    knn_row = next(line for line in table.splitlines() if line.startswith("knn"))
    assert knn_row.split()[1] == "3" and "Doubler.double" in table and "total" in table
    assert "Doubler.halve_then_square (region 1 of 2)" in table
    assert next(line for line in table.splitlines() if line.startswith("svm")).split()[1:] == ["1", "hinge"]

    # put back the solution of one region: its test passes, the others still fail on their stubs
    assert restore(dest, fake, "cs231n/classifiers/k_nearest_neighbor.py", ["Doubler.double"]) == ["Doubler.double"]
    assert restore(dest, fake, "cs231n/classifiers/linear_svm.py") == ["hinge"]
    proc = _run(["tools/check.py"], cwd=dest)
    assert proc.returncode == 1, proc.stdout
    rows = {line.split()[0]: line.split(None, 5) for line in proc.stdout.splitlines()
            if line.startswith(("knn ", "svm "))}
    assert rows["knn"][1:5] == ["2", "0", "2", "0"]
    assert rows["knn"][5] == "to write: Doubler.halve_then_square (region 1 of 2), total"
    assert rows["svm"][1:6] == ["1", "0", "0", "0", "ok"]
    assert "still to write" not in proc.stdout  # check.py prints the one table only

    # a mistake in code a student wrote is a failure with its traceback, not a stub
    path = dest / "cs231n/classifiers/linear_svm.py"
    path.write_text(path.read_text().replace("max(0.0, margin)", "max(1.0, margin)"))
    restore(dest, fake, "cs231n/classifiers/k_nearest_neighbor.py")
    proc = _run(["tools/check.py"], cwd=dest)
    assert proc.returncode == 1
    assert "assert" in proc.stdout and "FAILING (see above)" in proc.stdout
    path.write_text(path.read_text().replace("max(1.0, margin)", "max(0.0, margin)"))
    proc = _run(["tools/check.py", "knn", "svm"], cwd=dest)
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout.count(" ok") == 2


def test_conftest_tells_a_stub_from_other_errors(tmp_path):
    spec = importlib.util.spec_from_file_location("root_conftest", ROOT / "conftest.py")
    conftest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conftest)
    (tmp_path / "stubby.py").write_text(f"""class Net:
    def loss(self):
        {S}
        raise NotImplementedError("TODO: write Net.loss (region 1 of 2)")
        {E}

    def left_in_place(self):
        {S}
        x = 1
        raise NotImplementedError("TODO: write Net.left_in_place")
        {E}

    def custom(self):
        {S}
        raise NotImplementedError("write the forward pass")
        {E}

    def abstract(self):
        raise NotImplementedError("subclasses define the loss")

    def wrong(self):
        {S}
        raise ValueError("TODO: write Net.wrong")
        {E}
""")
    spec = importlib.util.spec_from_file_location("stubby", tmp_path / "stubby.py")
    stubby = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(stubby)
    net = stubby.Net()
    for method, expected in [(net.loss, "Net.loss (region 1 of 2)"), (net.left_in_place, "Net.left_in_place"),
                             (net.custom, "Net.custom"), (net.abstract, None), (net.wrong, None)]:
        with pytest.raises(Exception) as excinfo:
            method()
        assert conftest.stub_name(excinfo) == expected, method
    assert conftest.stub_name(None) is None
    assert conftest._wrap(["a" * 10, "b" * 10, "c" * 10], 24) == ["a" * 10 + ", " + "b" * 10 + ",", "c" * 10]


def test_check_table_counts_each_test_once_and_names_what_is_left(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("check", ROOT / "tools" / "check.py")
    check = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(check)
    monkeypatch.setattr(check, "ROOT", tmp_path)
    monkeypatch.setenv("COLUMNS", "200")
    (tmp_path / "tests").mkdir()
    for part in ("knn", "svm", "softmax", "two_layer_net"):
        (tmp_path / "tests" / f"test_{part}.py").write_text("")

    def report(nodeid, when, outcome, stub=None):
        rep = SimpleNamespace(nodeid=nodeid, when=when, passed=outcome == "passed", failed=outcome == "failed",
                              skipped=outcome == "skipped")
        if stub:
            rep.stub = stub
        return rep

    tally = check.Tally()
    for rep in [report("tests/test_knn.py::a", "setup", "passed"), report("tests/test_knn.py::a", "call", "passed"),
                report("tests/test_knn.py::a", "teardown", "passed"),
                report("tests/test_svm.py::a", "call", "failed", stub="svm_loss_naive"),
                report("tests/test_svm.py::b", "setup", "failed", stub="LinearClassifier.train"),
                report("tests/test_svm.py::c", "call", "failed"),
                report("tests/test_svm.py::d", "call", "failed", stub="svm_loss_naive"),
                report("tests/test_softmax.py::a", "setup", "skipped")]:
        tally.pytest_runtest_logreport(rep)
    tally.errors.append(("tests/test_two_layer_net.py", ["SyntaxError"]))
    rows, ok = check.table(tally, check.PARTS)
    assert not ok
    assert [row.split()[:5] for row in rows[1:]] == [
        ["knn", "1", "0", "0", "0"], ["svm", "0", "1", "3", "0"], ["softmax", "0", "0", "0", "1"],
        ["two_layer_net", "0", "0", "0", "0"], ["features", "0", "0", "0", "0"]]
    status = [row.split(None, 5)[5] for row in rows[1:]]
    assert status == ["ok", "to write: svm_loss_naive, LinearClassifier.train (+ failures above)", "skipped",
                      "ERROR: tests/test_two_layer_net.py does not import (see the error above)", "no tests"]
    rows, ok = check.table(tally, ("knn", "softmax", "features"))
    assert ok
    assert check._wrap("to write: a.b, c.d (region 1 of 2), e", 30) == ["to write: a.b,", "c.d (region 1 of 2), e"]


def test_leak_scan_finds_a_solution_line_anywhere(fake_edition):
    fake, dest, report = fake_edition
    check_structure(fake, dest, report)
    solution = solution_lines(fake)
    assert _norm("out = x * 2  # the one solution line of double") in solution
    assert _norm("result = half ** 2") in solution and _norm("whole_cell_solution = 12345 * 2") in solution
    assert _norm("Because one neighbour fits the noise: **the answer cell**.") in solution
    assert _norm("return out") not in solution and "pass" not in solution  # outside regions / trivial
    assert find_leaks(dest, solution) == []
    with open(dest / "tests/test_svm.py", "a") as f:
        f.write("    acc += v\n")
    nb = json.loads((dest / "notebooks/knn.ipynb").read_text())
    nb["cells"][3]["outputs"] = [{"name": "stdout", "output_type": "stream", "text": ["  half = x / 2\n"]}]
    nb["cells"][0]["source"] += "\n\n```python\nbest_k = sorted(ks, key=lambda k: -k)[0]\n```"
    (dest / "notebooks/knn.ipynb").write_text(json.dumps(nb))
    leaks = find_leaks(dest, solution)
    assert len(leaks) == 3
    assert leaks[0].startswith("notebooks/knn.ipynb:") and "best_k = sorted" in leaks[0]
    assert leaks[1].startswith("notebooks/knn.ipynb:") and "half = x / 2" in leaks[1]
    assert leaks[2].startswith("tests/test_svm.py:6: acc += v")


# ------------------------------------------------------------------------------ the real project
@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    dest = tmp_path_factory.mktemp("student") / "edition"
    report = ms.build(dest, root=ROOT)
    return dest, report


def _real_parts(dest):
    return [p for p in PARTS if (dest / "tests" / f"test_{p}.py").exists()]


def test_every_region_holds_exactly_its_stub(edition):
    dest, report = edition
    check_structure(ROOT, dest, report)
    assert any(p.startswith("cs231n/") for p in report.regions), "no region found in cs231n/"


def test_no_solution_line_survives(edition):
    dest, _ = edition
    solution = solution_lines(ROOT)
    # the scan sees every region: each has a line of its own to look for (not only lines found outside regions)
    for path in ms.source_files(ROOT):
        for where, lines, regions, _ in regions_of(ROOT, path):
            for region in regions:
                body = [_norm(line) for line in lines[region.start + 1:region.end]]
                code = [n for n in body if len(n) > 5 and not n.startswith("#") and not _is_stub(n)]
                assert not code or any(n in solution for n in code), (
                    f"{where}, line {region.start + 1}: every line of this region also occurs outside the regions, "
                    "so the leak scan cannot tell whether it survives")
    leaks = find_leaks(dest, solution)
    assert not leaks, "solution lines in the student edition:\n" + "\n".join(leaks[:20])


def test_notebooks_carry_no_outputs(edition):
    dest, _ = edition
    makefile = (dest / "Makefile").read_text()
    assert "--nbval-lax" in makefile and not re.search(r"--nbval(?![-\w])", makefile), (
        "the student edition's Makefile would compare notebook outputs it does not have")
    for path in sorted(dest.glob("notebooks/*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        assert "widgets" not in nb.get("metadata", {}), path.name
        for i, cell in enumerate(nb["cells"]):
            assert not cell.get("outputs") and cell.get("execution_count") is None, f"{path.name}, cell {i + 1}"
            assert "solution" not in cell.get("metadata", {}).get("tags", []), f"{path.name}, cell {i + 1}"


def test_stubs_import_cleanly_and_lint_passes(edition):
    dest, _ = edition
    code = ("import importlib, json, pkgutil, cs231n\n"
            "names = [m.name for m in pkgutil.walk_packages(cs231n.__path__, 'cs231n.')]\n"
            "files = [importlib.import_module(n).__file__ for n in names]\n"
            "print(json.dumps([cs231n.__file__, *files]))")
    proc = _run(["-c", code], cwd=dest)
    assert proc.returncode == 0, proc.stderr
    files = json.loads(proc.stdout)
    assert len(files) > 5 and all(Path(f).resolve().is_relative_to(dest.resolve()) for f in files), files
    if importlib.util.find_spec("ruff") is not None:
        # the stubs add no lint error (the source's own are the lint test's business)
        new = _lint(dest) - _lint(ROOT)
        assert not new, "lint errors only the student edition has:\n" + "\n".join(sorted(new))


def _lint(folder):
    """{'file: CODE message'} that `ruff check` reports in folder."""
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "json", "."],
                          cwd=folder, capture_output=True, text=True)
    assert proc.returncode in (0, 1), proc.stderr
    return {f"{Path(v['filename']).resolve().relative_to(Path(folder).resolve()).as_posix()}: {v['code']} "
            f"{v['message']}" for v in json.loads(proc.stdout or "[]")}


@pytest.fixture(scope="module")
def stub_outcomes(edition, tmp_path_factory):
    dest, _ = edition
    return run_part_tests(dest, tmp_path_factory.mktemp("stub_run"), _real_parts(dest))


def test_each_part_fails_on_its_stubs(edition, stub_outcomes):
    dest, report = edition
    parts = by_part(stub_outcomes)
    assert set(parts) == set(_real_parts(dest))
    for part, entries in parts.items():
        if PART_MODULES[part] not in report.regions:
            continue  # nothing for the student to write there (features: the work is in the notebook)
        stubbed = [e for e in entries if e["stub"]]
        assert stubbed, f"no test of {part} fails on a stub: its unit tests pass without the student's code"


@solution_only
def test_round_trip_putting_a_part_back_makes_its_tests_pass(edition, stub_outcomes, tmp_path):
    dest, report = edition
    parts = by_part(stub_outcomes)
    if "knn" not in parts:
        pytest.skip("tests/test_knn.py is not there yet")
    # The modules whose stubs the knn tests run into get their solution back; no other part may use them.
    module_of = {name: path for path, _, name in report.stubs if name}
    knn_stubs = {e["stub"] for e in parts["knn"] if e["stub"]}
    modules = {module_of[n] for n in knn_stubs}
    others = {e["stub"] for p, es in parts.items() if p != "knn" for e in es if e["stub"]}
    assert not {module_of[n] for n in others} & modules, "knn shares a module with another part"
    # And one single region elsewhere: a function another part's tests run into.
    single = min((n for n in others if "(region" not in n), default=None)
    for path in modules:
        restore(dest, ROOT, path)
    if single:
        assert restore(dest, ROOT, module_of[single], [single]) == [single]
    after = run_part_tests(dest, tmp_path, list(parts))
    failing = [k for k, e in after.items() if k.startswith("tests/test_knn.py") and e["outcome"] == "failed"]
    assert not failing, f"knn tests still fail with the solution back: {failing}"
    for part, entries in by_part(after).items():
        if part != "knn" and any(e["stub"] for e in parts[part]):
            assert any(e["outcome"] == "failed" for e in entries), f"{part} passes without its solution"
    if single:
        # the tests that ran into that stub now pass, or run into the next stub, never into a plain failure
        for nodeid in (k for k, e in stub_outcomes.items() if e["stub"] == single):
            assert after[nodeid]["outcome"] == "passed" or after[nodeid]["stub"] not in (None, single), (
                nodeid, after[nodeid])
