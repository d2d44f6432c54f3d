"""The student-edition generator (instructor/make_student.py) and the edition it writes.

The first half runs the generator on a small synthetic project (modules, tests and a notebook with boxed regions,
an instructor wing, caches and data that must stay out), so it tests the generator's rules apart from the real
parts: stubs and boxes, what ships, git, untracked imports, the destination (source tree, --force, a modified
edition, the student's .venv/ and data, symbolic links, a failure half-way).

The second half generates the edition of this very project once (from a snapshot of the working tree committed to
a throwaway git repository, so that files the lead has not committed yet take part) and checks it: every region
has its task box and holds exactly its stub, no solution line survives anywhere, the notebooks carry no outputs,
only the student wing ships, the edition lints clean with the solution's own configuration, every part's unit tests
fail on its stubs, putting solutions back makes them pass, and the self-check reports the stubs.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cs231n import parts
from instructor import make_student as ms

ROOT = Path(__file__).resolve().parents[2]
S, E = parts.START, parts.END


# ----------------------------------------------------------------------------------------------------- helpers
def _norm(line):
    return "".join(line.split())


def _is_stub(norm):
    return norm == "pass" or norm.startswith(_norm(f'raise NotImplementedError("{parts.STUB_PREFIX}'))


def _cells(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))["cells"]


def chunks(root, path):
    """(where, lines, regions, kind) for a file that can hold solutions.

    kind: "module" (a module of cs231n/), "cell" (a notebook code cell), "answer" (a markdown cell tagged
    solution: all of it is solution) or "text" (another notebook cell). regions: parts.Region list, or [].
    """
    text = (root / path).read_text(encoding="utf-8")
    if path.startswith("cs231n/") and path.endswith(".py"):
        lines, regions = ms.module_regions(text, path)
        return [(path, lines, regions, "module")]
    if not path.endswith(".ipynb"):
        return []
    out = []
    for i, cell in enumerate(json.loads(text)["cells"]):
        where, lines = f"{path}, cell {i + 1}", ms._cell_lines(cell)
        if cell["cell_type"] == "code":
            out.append((where, lines, parts.find_regions(lines, where), "cell"))
        else:
            tagged = ms.SOLUTION_TAG in cell.get("metadata", {}).get("tags", [])
            out.append((where, lines, [], "answer" if tagged else "text"))
    return out


def solution_lines(root, files):
    """{normalised line: 'where:line'} for the lines a student edition must not contain.

    The lines inside regions and answer cells, except blank lines, comments, stubs, very short lines and lines that
    also occur as code outside every region (`return loss, dW`): those carry no solution.
    """
    inside, outside = {}, set()
    for path in files:
        for where, lines, regions, kind in chunks(root, path):
            secret = set(range(len(lines))) if kind == "answer" else set()
            for region in regions:
                secret.update(range(region.start + 1, region.end))
            for i, line in enumerate(lines):
                if i in secret:
                    inside.setdefault(_norm(line), f"{where}:{i + 1}")
                elif kind in ("module", "cell"):
                    outside.add(_norm(line))
    return {n: where for n, where in inside.items()
            if len(n) > 5 and not n.startswith("#") and not _is_stub(n) and n not in outside}


def _text_lines(path):
    """Every line of text in a file; for a notebook its cell sources and outputs. [] for a binary file."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return []
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


def find_leaks(edition, solution):
    """'file:line: text (from where)' for each line anywhere in the edition that is a solution line."""
    leaks = []
    for path in sorted(p for p in edition.rglob("*") if p.is_file()):
        for i, line in enumerate(_text_lines(path)):
            where = solution.get(_norm(line))
            if where:
                leaks.append(f"{path.relative_to(edition).as_posix()}:{i + 1}: {line.strip()}   (from {where})")
    return leaks


def check_boxes_and_stubs(source, edition, files):
    """Every region of the edition has the source's task box, complete, and holds exactly its stub; returns how
    many regions were checked."""
    checked = 0
    for path in files:
        if not path.endswith((".py", ".ipynb")) or not (edition / path).exists():
            continue
        theirs, ours = chunks(source, path), chunks(edition, path)
        assert [len(c[2]) for c in ours] == [len(c[2]) for c in theirs], f"{path}: regions differ"
        for (where, src_lines, src_regions, kind), (_, lines, regions, _) in zip(theirs, ours):
            module_source = "\n".join(src_lines) if kind == "module" else None
            names = parts.stub_names(src_lines, src_regions, module_source)
            for src_region, region, name in zip(src_regions, regions, names):
                at = f"{where}, line {region.start + 1}"
                box, src_box = parts.task_box(lines, region.start), parts.task_box(src_lines, src_region.start)
                assert box is not None, f"{at}: no task box above the region"
                assert src_box and (box.title, box.body) == (src_box.title, src_box.body), f"{at}: another box"
                assert box.title and len([b for b in box.body if b]) >= 2, f"{at}: an empty task box {box}"
                assert any(b.startswith("Hint:") for b in box.body), f"{at}: the task box has no Hint: line"
                body = [_norm(line) for line in lines[region.start + 1:region.end]]
                assert body == [_norm(parts.stub_line("", name))], f"{at}: the region holds {body}"
                checked += 1
    return checked


def tree_state(folder):
    """{relative path: what is there} for everything under folder, links not followed: to compare before/after."""
    state = {}
    for dirpath, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(dirpath) / name
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                state[rel] = ("link", os.readlink(path))
            elif path.is_dir():
                state[rel] = ("dir",)
            else:
                state[rel] = ("file", path.read_bytes(), path.stat().st_mode & 0o777, path.stat().st_ino)
    return state


def leftovers(dest):
    return sorted(p.name for p in Path(dest).parent.iterdir() if p.name.startswith(f".{Path(dest).name}."))


def _git(root, *args):
    return subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.com",
                           "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
                          check=True, capture_output=True, text=True).stdout


def git_commit_all(root):
    if shutil.which("git") is None:
        pytest.skip("git is not available")
    if not (root / ".git").exists():
        _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "snapshot")
    return _git(root, "rev-parse", "HEAD").strip()


def _env(folder, *extra_paths):
    """Environment for a subprocess that must import the edition's cs231n, not the installed solution."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(folder), *map(str, extra_paths)]), MPLBACKEND="Agg",
               PYTEST_DISABLE_PLUGIN_AUTOLOAD="1",  # the unit tests need no plugin; nbval alone takes seconds
               COLUMNS="200")
    env.pop("PYTEST_ADDOPTS", None)
    return env


# --------------------------------------------------------------------------------------- the synthetic project
def box(title, indent=""):
    return (f"{indent}# -- TODO: {title} {'-' * 30}\n"
            f"{indent}# Compute the value named below, with its shape.\n"
            f"{indent}# Hint: one hint.\n"
            f"{indent}# {'-' * 40}\n")


FAKE_MODULE = f'''"""A fake module with student regions.

Marker lines quoted in a string are no region:
{box("not a task")}{S}
quoted = "solution text inside a docstring stays"
{E}
"""

import numpy as np

{box("module constant")}{S}
_HINT = "module-level regions get `pass`"
{E}


class Doubler:
    def double(self, x):
        """x: (N,) -> (N,)."""
        x = np.asarray(x)
        out = None
{box("double", "        ")}        {S}
        out = x * 2  # the one solution line of double
        {E}
        return out

    def halve_then_square(self, x):
        half = None
{box("halve", "        ")}        {S}
        half = x / 2
        {E}
        result = None
        if x is not None:
{box("square", "            ")}            {S}
            # a comment first: the stub takes the indentation of the code
            result = half ** 2
            {E}
        return result


def total(values):
    if not values:
        raise ValueError("values is empty")
    acc = 0
{box("sum", "    ")}    {S}
    for v in values:
        acc += v
    {E}
    return acc
'''
FAKE_SVM = f'''def hinge(margin):
    loss_value = 0.0
{box("hinge", "    ")}    {S}
    loss_value = max(0.0, margin)
    {E}
    return loss_value
'''
FAKE_TEST = "from cs231n.classifiers.linear_svm import hinge\n\n\ndef test_hinge():\n    assert hinge(0.5) == 0.5\n"
FAKE_GITIGNORE = (".venv/\nbuild/\n__pycache__/\n*.egg-info/\n.ipynb_checkpoints/\n"
                  "datasets/*\n!datasets/get_datasets.sh\n!datasets/README.md\n")
ANSWER = "Because one neighbour fits the noise: **the answer cell**."


def fake_notebook():
    def code(source, outputs=(), tags=(), count=3):
        metadata = {"execution": {"iopub.status.busy": "2026-01-01T00:00:00Z"}}
        if tags:
            metadata["tags"] = list(tags)
        return {"cell_type": "code", "execution_count": count, "id": f"c{len(source)}", "metadata": metadata,
                "outputs": list(outputs), "source": source}

    def markdown(source, tags=()):
        return {"cell_type": "markdown", "id": f"m{len(source)}", "metadata": {"tags": list(tags)} if tags else {},
                "source": source}

    stream = {"name": "stdout", "output_type": "stream", "text": ["best k = 10\n"]}
    answer = markdown(ANSWER, tags=["solution"])
    answer["attachments"] = {"plot.png": {"image/png": "AAAA"}}
    cells = [
        markdown("**Question:** why is k = 1 not the best choice?"),
        answer,
        code(f"%matplotlib inline\nks = [1, 5, 10]\nbest_k = None\n{box('choose k')}{S}\n"
             f"best_k = sorted(ks, key=lambda k: -k)[0]\n{E}\nprint('best k =', best_k)", outputs=[stream]),
        code(f"for k in [1, 2]:\n    fold_accuracy = 0.0\n{box('fold accuracy', '    ')}    {S}\n"
             f"    fold_accuracy = k * 0.25 + 0.125\n    {E}\n    print(k, fold_accuracy)",
             tags=["nbval-ignore-output"]),
        code("import numpy as np\nnp.zeros(3)", outputs=[{"output_type": "execute_result", "execution_count": 4,
                                                          "data": {"text/plain": ["array([0., 0., 0.])"]},
                                                          "metadata": {}}]),
    ]
    return {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                        "language": "python"},
                                         "widgets": {"application/vnd.jupyter.widget-state+json": {"state": {}}}},
            "nbformat": 4, "nbformat_minor": 5}


STUDENT_FILES = {  # what the fake edition must hold, beside its manifest
    "cs231n/__init__.py": "",
    "cs231n/classifiers/__init__.py": "",
    "cs231n/classifiers/k_nearest_neighbor.py": FAKE_MODULE,
    "cs231n/classifiers/linear_svm.py": FAKE_SVM,
    "cs231n/data/labels.txt": "plane\ncar\n",
    "tests/test_svm.py": FAKE_TEST,
    "tools/check.py": "print('the self-check')\n",
    "datasets/get_datasets.sh": "#!/bin/sh\npython -m cs231n.datasets\n",
    "datasets/README.md": "# Data\n",
    "Makefile": "NBVAL_ARGS := --nbval --nbval-current-env\n\ncheck:\n\tpython tools/check.py\n",
    "environment.yml": "name: fake\n",
    "pyproject.toml": '[tool.ruff.lint.per-file-ignores]\n"notebooks/*.ipynb" = ["E402"]\n',
    "README.md": "# Fake project\n\nFor students and instructors alike.\n",
    "conftest.py": "# the project's pytest hooks\n",
    ".gitignore": FAKE_GITIGNORE,
}
OTHER_FILES = {  # never shipped: the instructor wing, the solution's CI, environments, caches, build output, data
    "instructor/__init__.py": "",
    "instructor/make_student.py": "# the generator\n",
    "instructor/tests/test_student_edition.py": "# its tests\n",
    "instructor/benchmarks.md": "# benchmarks\n",
    ".ci/run": "#!/bin/sh\nmake test\n",
    "docs/notes.md": "# notes\n",
    "tools/bench.py": "# benchmarks\n",
    "tools/results_table.py": "# results table\n",
    "scratch.py": "import cs231n\n",
    ".venv/lib/site.py": "x = 1\n",
    "build/old/file.txt": "old\n",
    "cs231n/__pycache__/x.cpython-311.pyc": "",
    "notebooks/.ipynb_checkpoints/knn-checkpoint.ipynb": "{}",
    "datasets/cifar-10-batches-py/data_batch_1": "data\n",
    "cs231n_a1.egg-info/PKG-INFO": "x\n",
}


def make_fake_project(root):
    for path, text in {**STUDENT_FILES, **OTHER_FILES}.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    (root / "notebooks/knn.ipynb").write_text(json.dumps(fake_notebook(), indent=1), encoding="utf-8")
    (root / "datasets/get_datasets.sh").chmod(0o755)
    return root


@pytest.fixture
def fake(tmp_path):
    return make_fake_project(tmp_path / "solution")


@pytest.fixture
def fake_edition(fake, tmp_path):
    dest = tmp_path / "student"
    return fake, dest, ms.build(dest, root=fake)


def _stub(name, indent=""):
    return parts.stub_line(indent, name) + "\n"


# ------------------------------------------------------------------------------------ generator: stubs and boxes
def test_each_region_becomes_its_stub_under_its_box(fake_edition):
    """Only the lines between the markers change; boxes, markers, set-up lines, returns and quoted markers stay."""
    fake, dest, report = fake_edition
    expected = FAKE_MODULE
    for old, new in [
        (f'{S}\n_HINT = "module-level regions get `pass`"\n', f"{S}\npass\n"),
        (f"        {S}\n        out = x * 2  # the one solution line of double\n",
         f"        {S}\n" + _stub("Doubler.double", " " * 8)),
        (f"        {S}\n        half = x / 2\n",
         f"        {S}\n" + _stub("Doubler.halve_then_square (halve)", " " * 8)),
        (f"            {S}\n            # a comment first: the stub takes the indentation of the code\n"
         "            result = half ** 2\n",
         f"            {S}\n" + _stub("Doubler.halve_then_square (square)", " " * 12)),
        (f"    {S}\n    for v in values:\n        acc += v\n", f"    {S}\n" + _stub("total", "    ")),
    ]:
        assert expected.count(old) == 1, old
        expected = expected.replace(old, new)
    assert (dest / "cs231n/classifiers/k_nearest_neighbor.py").read_text() == expected
    assert report.regions == {"cs231n/classifiers/k_nearest_neighbor.py": 5, "cs231n/classifiers/linear_svm.py": 1,
                              "notebooks/knn.ipynb": 2}
    assert report.answers == {"notebooks/knn.ipynb": 1}
    assert [name for path, _, _, name in report.stubs if path.endswith(".py")] == [
        None, "Doubler.double", "Doubler.halve_then_square (halve)", "Doubler.halve_then_square (square)", "total",
        "hinge"]
    files = ms.source_files(fake)
    assert check_boxes_and_stubs(fake, dest, files) == sum(report.regions.values())


def test_notebooks_lose_outputs_answers_and_widget_state_and_keep_the_rest(fake_edition):
    fake, dest, _ = fake_edition
    nb = json.loads((dest / "notebooks/knn.ipynb").read_text())
    cells = nb["cells"]
    assert "widgets" not in nb["metadata"] and nb["metadata"]["kernelspec"]["name"] == "python3"
    for cell in cells:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None and "execution" not in cell["metadata"]
        assert ms.SOLUTION_TAG not in cell["metadata"].get("tags", [])
    assert "".join(cells[0]["source"]) == "**Question:** why is k = 1 not the best choice?"
    assert "".join(cells[1]["source"]) == ms.ANSWER_PROMPT and "attachments" not in cells[1]
    assert "".join(cells[2]["source"]) == (f"%matplotlib inline\nks = [1, 5, 10]\nbest_k = None\n{box('choose k')}{S}\n"
                                           f"{_stub('choose k')}{E}\nprint('best k =', best_k)")
    assert "".join(cells[3]["source"]) == (f"for k in [1, 2]:\n    fold_accuracy = 0.0\n{box('fold accuracy', '    ')}"
                                           f"    {S}\n{_stub('fold accuracy', '    ')}    {E}\n"
                                           "    print(k, fold_accuracy)")
    assert cells[3]["metadata"]["tags"] == ["nbval-ignore-output"]
    assert "".join(cells[4]["source"]) == "import numpy as np\nnp.zeros(3)"
    nbformat = pytest.importorskip("nbformat")
    nbformat.validate(nbformat.reads(json.dumps(nb), as_version=4))


BAD_BOXES = {
    "no box": "",
    "no hint": "    # -- TODO: hinge ------\n    # Compute loss_value.\n    # Then return it.\n    # ----------\n",
    "one line of text": "    # -- TODO: hinge ------\n    # Hint: max.\n    # ----------\n",
    "no title": "    # -- TODO: ------------\n    # Compute loss_value.\n    # Hint: max.\n    # ----------\n",
}


@pytest.mark.parametrize("case", sorted(BAD_BOXES))
def test_a_region_without_a_complete_box_is_refused_naming_file_and_line(fake, tmp_path, case):
    text = FAKE_SVM.replace(box("hinge", "    "), BAD_BOXES[case])
    (fake / "cs231n/classifiers/linear_svm.py").write_text(text)
    nb = fake_notebook()
    nb["cells"][3]["source"] = nb["cells"][3]["source"].replace(box("fold accuracy", "    "), "")
    (fake / "notebooks/knn.ipynb").write_text(json.dumps(nb))
    line = text.split("\n").index(f"    {S}") + 1
    dest = tmp_path / "student"
    with pytest.raises(ms.StudentEditionError) as err:
        ms.build(dest, root=fake)
    message = str(err.value)
    assert f"cs231n/classifiers/linear_svm.py, line {line}: " in message  # every problem at once, module and cell
    assert "notebooks/knn.ipynb, cell 4, line 3: no task box" in message and "Hint:" in message
    assert not dest.exists() and leftovers(dest) == []


@pytest.mark.parametrize("text, line, words", [
    (f"x = 1\n{E}\n", 2, "END marker without a START"),
    (f"def f():\n{box('f', '    ')}    {S}\n    {S}\n    x = 1\n    {E}\n", 7, "inside the region opened at line 6"),
    (f"def f():\n    x = 0\n{box('f', '    ')}    {S}\n    x = 1\n", 7, "START marker without an END"),
    (f"def f():\n    {S}\n    x = 1\n    # *****END OF YOUR CODE (DO NOT DELETE THIS LINE)*****\n", 4,
     "altered marker"),
])
def test_marker_errors_name_file_and_line_and_nothing_is_written(fake, tmp_path, text, line, words):
    (fake / "cs231n/broken.py").write_text(text)
    dest = tmp_path / "student"
    with pytest.raises(ms.StudentEditionError, match=rf"cs231n/broken.py, line {line}: .*{words}"):
        ms.build(dest, root=fake)
    assert not dest.exists() and leftovers(dest) == []


def test_a_marker_error_in_a_notebook_names_the_cell(fake, tmp_path):
    nb = fake_notebook()
    nb["cells"][4]["source"] = f"{S}\nx = 1\n"
    (fake / "notebooks/knn.ipynb").write_text(json.dumps(nb))
    with pytest.raises(ms.StudentEditionError, match=r"notebooks/knn.ipynb, cell 5, line 1: .*without an END"):
        ms.build(tmp_path / "student", root=fake)


def test_a_region_that_cannot_be_stubbed_in_place_is_refused(fake, tmp_path):
    # the region spans two blocks: one stub line there would not be valid Python
    (fake / "cs231n/odd.py").write_text(f"def f(x):\n{box('f', '    ')}    {S}\n    if x:\n        y = 1\n    {E}\n"
                                        "    else:\n        y = 2\n    return y\n")
    with pytest.raises(ms.StudentEditionError, match=r"cs231n/odd.py, line \d+: with its stub the code is not valid"):
        ms.build(tmp_path / "student", root=fake)


def test_a_region_in_a_file_that_ships_unstubbed_is_refused(fake, tmp_path):
    (fake / "tests/test_svm.py").write_text(f"def test_x():\n{box('x', '    ')}    {S}\n    x = 1\n    {E}\n")
    with pytest.raises(ms.StudentEditionError, match=r"tests/test_svm.py, line 6: a region outside cs231n/ and "
                                                     "notebooks/ would ship with its solution"):
        ms.build(tmp_path / "student", root=fake)


def test_a_code_cell_tagged_solution_is_refused(fake, tmp_path):
    nb = fake_notebook()
    nb["cells"][4]["metadata"]["tags"] = ["solution"]
    (fake / "notebooks/knn.ipynb").write_text(json.dumps(nb))
    with pytest.raises(ms.StudentEditionError, match=r"notebooks/knn.ipynb, cell 5: a code cell tagged 'solution'"):
        ms.build(tmp_path / "student", root=fake)


# ------------------------------------------------------------------------------------- generator: what ships
def test_the_edition_holds_the_student_wing_byte_for_byte_and_nothing_else(fake_edition):
    fake, dest, report = fake_edition
    written = {p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file()}
    assert written == {*STUDENT_FILES, "notebooks/knn.ipynb", ms.EDITION_FILE}
    for path in STUDENT_FILES:
        if path not in report.regions:  # Makefile, README, pyproject.toml included: no patching
            assert (dest / path).read_bytes() == (fake / path).read_bytes(), path
    assert os.access(dest / "datasets/get_datasets.sh", os.X_OK)
    manifest = json.loads((dest / ms.EDITION_FILE).read_text())
    assert manifest["edition"] == "student" and manifest["format"] == ms.MANIFEST_FORMAT
    assert manifest["generator"] == "instructor/make_student.py" and manifest["source"] is None  # not a git checkout
    assert manifest["regions"] == report.regions and manifest["answers"] == report.answers
    assert manifest["files"] == {p: hashlib.sha256((dest / p).read_bytes()).hexdigest()
                                 for p in written - {ms.EDITION_FILE}}


def test_a_git_checkout_gives_its_tracked_files_and_a_dirty_tree_is_named(fake, tmp_path, capsys):
    (fake / ".gitignore").write_text(FAKE_GITIGNORE)
    head = git_commit_all(fake)
    report = ms.build(tmp_path / "clean", root=fake)
    assert report.warnings == [] and capsys.readouterr().err == ""
    manifest = json.loads((tmp_path / "clean" / ms.EDITION_FILE).read_text())
    assert manifest["source"] == {"commit": head, "dirty": False}
    assert "datasets/get_datasets.sh" in manifest["files"] and "tools/bench.py" not in manifest["files"]

    (fake / "cs231n/untracked_notes.py").write_text("NOTES = 1\n")
    (fake / "README.md").write_text("# Fake project\n\nEdited, not committed.\n")
    ms.build(tmp_path / "dirty", root=fake)
    err = capsys.readouterr().err.strip().split("\n")
    assert len(err) == 1 and err[0].startswith("warning: the working tree has uncommitted changes")
    assert "M README.md" in err[0] and "?? cs231n/untracked_notes.py" in err[0]
    assert not (tmp_path / "dirty/cs231n/untracked_notes.py").exists()  # tracked files only ...
    assert "Edited, not committed" in (tmp_path / "dirty/README.md").read_text()  # ... as in the working tree
    assert json.loads((tmp_path / "dirty" / ms.EDITION_FILE).read_text())["source"]["dirty"] is True


def test_an_import_of_an_untracked_file_is_refused_naming_both_files(fake, tmp_path, capsys):
    (fake / "cs231n/helpers.py").write_text("def help_me():\n    return 1\n")
    (fake / "cs231n/classifiers/linear_svm.py").write_text("from ..helpers import help_me\n\n" + FAKE_SVM)
    nb = fake_notebook()
    nb["cells"][4]["source"] = "import numpy as np\nfrom cs231n.helpers import help_me"
    (fake / "notebooks/knn.ipynb").write_text(json.dumps(nb))
    git_commit_all(fake)
    _git(fake, "rm", "-q", "--cached", "cs231n/helpers.py")  # the importing files are tracked, the helper is not
    _git(fake, "commit", "-qm", "helpers.py left out")
    dest = tmp_path / "student"
    assert ms.main([str(dest), "--source", str(fake)]) == 2
    err = capsys.readouterr().err
    assert "cs231n/classifiers/linear_svm.py imports cs231n/helpers.py, which git does not track" in err
    assert "notebooks/knn.ipynb, cell 5 imports cs231n/helpers.py, which git does not track" in err
    assert "git add cs231n/helpers.py" in err and "Nothing was written" in err
    assert not dest.exists() and leftovers(dest) == []
    _git(fake, "add", "cs231n/helpers.py")
    assert ms.main([str(dest), "--source", str(fake), "-q"]) == 0
    assert (dest / "cs231n/helpers.py").exists()


def test_an_import_of_a_file_that_does_not_ship_is_refused(fake, tmp_path):
    (fake / "instructor/results_table.py").write_text("ROWS = []\n")
    (fake / "cs231n/classifiers/linear_svm.py").write_text("from instructor.results_table import ROWS\n\n" + FAKE_SVM)
    with pytest.raises(ms.StudentEditionError,
                       match="cs231n/classifiers/linear_svm.py imports instructor/results_table.py, which the "
                             "edition does not ship"):
        ms.build(tmp_path / "student", root=fake)


def test_a_student_edition_regenerates_itself_unchanged(fake_edition, tmp_path):
    fake, dest, report = fake_edition
    again = tmp_path / "again"
    assert ms.build(again, root=dest).regions == report.regions
    assert tree_state(again).keys() == tree_state(dest).keys()
    for path in dest.rglob("*"):
        if path.is_file() and path.name != ms.EDITION_FILE:
            assert (again / path.relative_to(dest)).read_bytes() == path.read_bytes(), path


# ---------------------------------------------------------------------------------------- generator: destination
@pytest.mark.parametrize("where", [".", "cs231n", "tests/student", "..", "build"])
def test_refuses_to_write_into_the_source_tree(fake, where):
    before = tree_state(fake.parent)
    with pytest.raises(ms.StudentEditionError, match="refusing to write the student edition"):
        ms.build(fake / where, root=fake)
    assert tree_state(fake.parent) == before


def test_a_folder_under_build_of_the_source_is_allowed(fake):
    ms.build(fake / "build" / "student", root=fake)
    assert (fake / "build/student/cs231n/classifiers/linear_svm.py").exists()
    assert leftovers(fake / "build" / "student") == []


def test_a_non_empty_folder_needs_force_and_force_removes_nothing_else(fake, tmp_path, capsys):
    dest = tmp_path / "elsewhere"
    (dest / "cs231n").mkdir(parents=True)
    (dest / "notes.txt").write_text("mine\n")
    (dest / "cs231n/my_draft.py").write_text("draft = 1\n")
    assert ms.main([str(dest), "--source", str(fake)]) == 2
    assert "is not empty and holds no student edition" in capsys.readouterr().err
    assert ms.main([str(dest), "--source", str(fake), "--force", "-q"]) == 0
    assert (dest / "notes.txt").read_text() == "mine\n" and (dest / "cs231n/my_draft.py").read_text() == "draft = 1\n"
    assert (dest / "cs231n/classifiers/linear_svm.py").exists() and leftovers(dest) == []


def test_an_unmodified_edition_is_replaced_a_modified_one_only_with_force(fake_edition, capsys):
    fake, dest, _ = fake_edition
    for own in (".venv/bin/python", "cs231n/__pycache__/x.pyc", "notebooks/.ipynb_checkpoints/knn-checkpoint.ipynb",
                "cs231n_a1.egg-info/PKG-INFO", "datasets/cifar-10-python.tar.gz", ".pytest_cache/v"):
        (dest / own).parent.mkdir(parents=True, exist_ok=True)  # what a student's `make` adds is no change
        (dest / own).write_text("x")
    (fake / "cs231n/data/labels.txt").unlink()  # a file the new edition no longer has ...
    (fake / "cs231n/helpers.py").write_text("HELP = 1\n")  # ... and one it has now
    assert ms.main([str(dest), "--source", str(fake), "-q"]) == 0
    assert (dest / "cs231n/helpers.py").read_text() == "HELP = 1\n"
    assert not (dest / "cs231n/data/labels.txt").exists() and not (dest / "cs231n/data").exists()
    assert (dest / ".venv/bin/python").read_text() == "x" and (dest / "cs231n_a1.egg-info/PKG-INFO").exists()

    work = dest / "cs231n/classifiers/linear_svm.py"
    work.write_text(work.read_text().replace('raise NotImplementedError("TODO: write hinge")', "loss_value = 1.0"))
    (dest / "my_notes.md").write_text("notes\n")
    before = tree_state(dest)
    assert ms.main([str(dest), "--source", str(fake), "-q"]) == 2
    err = capsys.readouterr().err
    assert "changes since it was generated (cs231n/classifiers/linear_svm.py, my_notes.md)" in err
    assert tree_state(dest) == before  # the student's work is untouched

    assert ms.main([str(dest), "--source", str(fake), "--force", "-q"]) == 0
    assert "TODO: write hinge" in work.read_text() and (dest / "my_notes.md").read_text() == "notes\n"


def test_the_students_venv_and_data_survive_a_regeneration_by_moving(fake_edition):
    fake, dest, _ = fake_edition
    (dest / ".venv/bin").mkdir(parents=True)
    (dest / ".venv/bin/python").write_text("#!/bin/sh\n")
    (dest / "datasets/cifar-10-batches-py").mkdir()
    (dest / "datasets/cifar-10-batches-py/data_batch_1").write_bytes(b"\x80batch")
    (dest / "datasets/cifar-10-python.tar.gz").write_bytes(b"\x1f\x8b")
    own = {p: s for p, s in tree_state(dest).items() if p.startswith((".venv", "datasets/cifar"))}
    ms.build(dest, root=fake)
    after = tree_state(dest)
    assert {p: after[p] for p in own} == own  # same content, mode and inode: moved, not copied
    assert after["datasets/get_datasets.sh"][1] == (fake / "datasets/get_datasets.sh").read_bytes()
    assert leftovers(dest) == []


def test_a_symlinked_datasets_folder_is_refused_and_nothing_changes(fake_edition, capsys):
    """The old generator deleted the edition's files, then died on shutil.SameFileError: build/student/datasets
    had become a link to the solution's datasets/. Now the link is named and nothing is touched."""
    fake, dest, _ = fake_edition
    shutil.rmtree(dest / "datasets")
    (dest / "datasets").symlink_to(fake / "datasets", target_is_directory=True)
    source_before, dest_before = tree_state(fake), tree_state(dest)
    for force in ([], ["--force"]):
        assert ms.main([str(dest), "--source", str(fake), "-q", *force]) == 2
        err = capsys.readouterr().err
        assert f"{dest / 'datasets'} -> {fake / 'datasets'}" in err and "never writes through a link" in err
        assert "Nothing was written" in err
        assert tree_state(fake) == source_before and tree_state(dest) == dest_before and leftovers(dest) == []


def test_links_inside_the_edition_are_kept_as_links_or_replaced_never_followed(fake_edition, tmp_path, capsys):
    fake, dest, _ = fake_edition
    outside = tmp_path / "outside"
    (outside / "venv").mkdir(parents=True)
    (outside / "cifar-10-batches-py").mkdir()
    (outside / "cifar-10-batches-py/data_batch_1").write_text("data")
    (outside / "mine.py").write_text("# not the edition's\n")
    (dest / ".venv").symlink_to(outside / "venv", target_is_directory=True)
    (dest / "datasets/cifar-10-batches-py").symlink_to(outside / "cifar-10-batches-py", target_is_directory=True)
    outside_before = tree_state(outside)
    ms.build(dest, root=fake)  # links the student made to their own things: kept, as links
    assert os.readlink(dest / ".venv") == str(outside / "venv")
    assert os.readlink(dest / "datasets/cifar-10-batches-py") == str(outside / "cifar-10-batches-py")

    svm = dest / "cs231n/classifiers/linear_svm.py"
    svm.unlink()
    svm.symlink_to(outside / "mine.py")  # a link where the edition has a file: a change ...
    assert ms.main([str(dest), "--source", str(fake), "-q"]) == 2
    assert "cs231n/classifiers/linear_svm.py (a symbolic link)" in capsys.readouterr().err
    assert ms.main([str(dest), "--source", str(fake), "-q", "--force"]) == 0  # ... replaced, not written through
    assert not svm.is_symlink() and "TODO: write hinge" in svm.read_text()
    assert tree_state(outside) == outside_before and leftovers(dest) == []


def test_a_destination_that_is_a_symlink_is_refused(fake, tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    with pytest.raises(ms.StudentEditionError, match="is a symbolic link"):
        ms.build(tmp_path / "link", root=fake)
    assert list((tmp_path / "real").iterdir()) == []


def test_a_failure_half_way_leaves_the_old_edition_as_it_was(fake_edition, monkeypatch):
    fake, dest, _ = fake_edition
    (dest / ".venv").mkdir()
    (dest / ".venv/marker").write_text("the student's environment")
    before = tree_state(dest)
    carry_over = ms._carry_over

    def fail_after_moving(*args):  # the swap: fails once the .venv has been moved into the new edition
        carry_over(*args)
        raise OSError("disk full")

    monkeypatch.setattr(ms, "_carry_over", fail_after_moving)
    with pytest.raises(OSError, match="disk full"):
        ms.build(dest, root=fake)
    assert tree_state(dest) == before and leftovers(dest) == []
    monkeypatch.undo()

    monkeypatch.setattr(ms, "MANIFEST_FORMAT", object())  # staging: fails after every file, at the manifest
    with pytest.raises(TypeError):
        ms.build(dest, root=fake)
    assert tree_state(dest) == before and leftovers(dest) == []
    fresh = dest.parent / "fresh"
    with pytest.raises(TypeError):
        ms.build(fresh, root=fake)
    assert not fresh.exists() and leftovers(fresh) == []


def test_the_command_line_prints_the_table_and_the_next_step(fake, tmp_path, capsys):
    dest = tmp_path / "student"
    assert ms.main([str(dest), "--source", str(fake)]) == 0
    out = capsys.readouterr().out.split("\n")
    assert out[0].split() == ["file", "regions", "answer", "cells"]
    assert out[1].split() == ["cs231n/classifiers/k_nearest_neighbor.py", "5", "0"]
    assert out[3].split() == ["notebooks/knn.ipynb", "2", "1"]
    assert out[4] == f"8 regions stubbed, 1 answer cells emptied; {len(STUDENT_FILES) + 1} files written to {dest}"
    assert out[5] == f"next: cd {dest} && make check"
    assert ms.main([str(dest), "--source", str(fake), "-q"]) == 0 and capsys.readouterr().out == ""


def test_the_leak_scan_finds_a_solution_line_anywhere(fake_edition):
    fake, dest, _ = fake_edition
    solution = solution_lines(fake, ms.source_files(fake))
    for line in ("out = x * 2  # the one solution line of double", "result = half ** 2", ANSWER,
                 "best_k = sorted(ks, key=lambda k: -k)[0]", "fold_accuracy = k * 0.25 + 0.125"):
        assert _norm(line) in solution, line
    assert _norm("return out") not in solution and _norm('quoted = "solution text inside a docstring stays"') not in \
        solution  # outside every region
    assert find_leaks(dest, solution) == []
    with open(dest / "tests/test_svm.py", "a") as f:
        f.write("    acc += v\n")
    nb = json.loads((dest / "notebooks/knn.ipynb").read_text())
    nb["cells"][3]["outputs"] = [{"name": "stdout", "output_type": "stream", "text": ["  half = x / 2\n"]}]
    nb["cells"][0]["source"] += "\n\n" + ANSWER
    (dest / "notebooks/knn.ipynb").write_text(json.dumps(nb))
    leaks = find_leaks(dest, solution)
    assert len(leaks) == 3, leaks
    assert leaks[0].startswith("notebooks/knn.ipynb:") and "the answer cell" in leaks[0]
    assert leaks[1].startswith("notebooks/knn.ipynb:") and "half = x / 2" in leaks[1]
    assert leaks[2].startswith("tests/test_svm.py:6: acc += v")


# ------------------------------------------------------------------------------------------ the real edition
def snapshot(root, target):
    """The project's files as they are now (tracked and untracked, not ignored), committed to a fresh repository."""
    if shutil.which("git") is None or not (root / ".git").exists():
        shutil.copytree(root, target, ignore=shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info",
                                                                     "__pycache__", "*_cache", "cifar-10-*"))
        return target
    listed = _git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    for path in listed:
        if path and (root / path).is_file():
            (target / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / path, target / path)
    git_commit_all(target)
    return target


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    base = tmp_path_factory.mktemp("real")
    source = snapshot(ROOT, base / "solution")
    dest = base / "student"
    report = ms.build(dest, root=source)
    return source, dest, report


PART_FILES = [part.tests for part in parts.PARTS]
STUDENT_WING = ("cs231n/", "notebooks/", "tests/", "tools/check.py", "datasets/get_datasets.sh",
                "datasets/README.md", "Makefile", "environment.yml", "pyproject.toml", "README.md", "README.zh-CN.md",
                "conftest.py", ".gitignore")
MUST_SHIP = ("cs231n/__init__.py", "cs231n/parts.py", "cs231n/check.py", "tools/check.py", "datasets/get_datasets.sh",
             "Makefile", "environment.yml", "pyproject.toml", "README.md", "conftest.py", ".gitignore",
             *(part.notebook for part in parts.PARTS), *PART_FILES)


def _in_wing(path):
    return any(path == entry or (entry.endswith("/") and path.startswith(entry)) for entry in STUDENT_WING)


def test_real_edition_ships_the_student_wing_only(real):
    source, dest, report = real
    written = {p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file()} - {ms.EDITION_FILE}
    assert not [p for p in written if not _in_wing(p)], "files outside the student wing"
    assert not [p for p in written if p.startswith(("instructor/", ".ci/", "docs/"))]
    assert not [p for p in MUST_SHIP if p not in written], "missing from the edition"
    everything = {p.relative_to(source).as_posix() for p in source.rglob("*") if p.is_file()
                  and p.relative_to(source).parts[0] != ".git"}
    assert written == {p for p in everything if _in_wing(p)}  # the whole student wing, nothing more
    for path in sorted(written - set(report.regions) - set(report.answers)):
        if not path.endswith(".ipynb"):
            assert (dest / path).read_bytes() == (source / path).read_bytes(), f"{path} differs from the solution's"
    manifest = json.loads((dest / ms.EDITION_FILE).read_text())
    if (source / ".git").exists():
        assert manifest["source"] == {"commit": _git(source, "rev-parse", "HEAD").strip(), "dirty": False}
    assert manifest["files"] == {p: hashlib.sha256((dest / p).read_bytes()).hexdigest() for p in written}
    assert report.warnings == []


def test_real_notebooks_carry_no_outputs_counts_widget_state_or_answers(real):
    _, dest, report = real
    assert sum(report.answers.values()) > 0
    for path in sorted(dest.glob("notebooks/*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        assert "widgets" not in nb.get("metadata", {}), path.name
        for i, cell in enumerate(nb["cells"]):
            where = f"{path.name}, cell {i + 1}"
            assert not cell.get("outputs") and cell.get("execution_count") is None, where
            assert "execution" not in cell.get("metadata", {}), where
            assert ms.SOLUTION_TAG not in cell.get("metadata", {}).get("tags", []), where


def test_real_no_solution_line_survives(real):
    source, dest, _ = real
    files = ms.source_files(source)
    solution = solution_lines(source, files)
    # the scan sees every region: each has a line of its own to look for
    for path in files:
        for where, lines, regions, _ in chunks(source, path):
            for region in regions:
                code = [n for n in map(_norm, lines[region.start + 1:region.end])
                        if len(n) > 5 and not n.startswith("#") and not _is_stub(n)]
                assert not code or any(n in solution for n in code), (
                    f"{where}, line {region.start + 1}: every line of this region also occurs outside the regions, so "
                    "the leak scan cannot tell whether it survives")
    leaks = find_leaks(dest, solution)
    assert not leaks, "solution lines in the student edition:\n" + "\n".join(leaks[:20])


def test_real_stubs_import_from_the_edition(real):
    _, dest, _ = real
    code = ("import importlib, json, pkgutil, cs231n\n"
            "names = [m.name for m in pkgutil.walk_packages(cs231n.__path__, 'cs231n.')]\n"
            "print(json.dumps([cs231n.__file__, *(importlib.import_module(n).__file__ for n in names)]))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=dest, env=_env(dest), capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    files = json.loads(proc.stdout)
    assert len(files) > 5 and all(Path(f).resolve().is_relative_to(dest.resolve()) for f in files), files


def test_real_edition_lints_clean_with_the_solutions_own_configuration(real):
    source, dest, _ = real
    assert (dest / "pyproject.toml").read_bytes() == (source / "pyproject.toml").read_bytes()
    ruff = Path(sys.executable).with_name("ruff")
    if not ruff.exists():
        ruff = shutil.which("ruff") or pytest.skip("ruff is not installed")

    def lint(folder, *paths):
        proc = subprocess.run([str(ruff), "check", "--no-cache", "--output-format", "concise", *paths], cwd=folder,
                              capture_output=True, text=True)
        assert proc.returncode in (0, 1), proc.stderr
        return [line for line in proc.stdout.split("\n") if line.count(":") >= 3]

    errors = lint(dest, ".")
    if errors:  # tell the errors the stubs cause from those the solution has too
        theirs = set(lint(source, *sorted({e.split(":")[0] for e in errors})))
        only, shared = [e for e in errors if e not in theirs], [e for e in errors if e in theirs]
        pytest.fail(f"ruff finds {len(errors)} problem(s) in the edition.\nOnly in the edition (caused by the stubs: "
                    "a set-up line outside a region whose name only the region uses?):\n  " + "\n  ".join(only)
                    + "\nIn the solution too:\n  " + "\n  ".join(shared))


def test_real_registry_names_every_stub(real):
    """The stubs of cs231n/ are the functions parts.PARTS registers, module by module, and none is missing."""
    _, _, report = real
    found = {}
    for path, _, _, name in report.stubs:
        if path.startswith("cs231n/"):
            assert name is not None, f"{path}: a region outside any function"
            found.setdefault(path, set()).add(name.split(" (")[0])
    for path, names in found.items():
        registered = {f for part in parts.PARTS if path in part.modules for f in part.functions}
        assert names <= registered, f"{path}: stubs {sorted(names - registered)} are in no part of parts.PARTS"
    for part in parts.PARTS:
        stubbed = set().union(*(found.get(m, set()) for m in part.modules))
        assert set(part.functions) <= stubbed, f"{part.name}: no stub for {sorted(set(part.functions) - stubbed)}"


OUTCOMES_PLUGIN = '''
import json, os
import pytest
from cs231n import parts

outcomes = {}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    entry = outcomes.setdefault(item.nodeid, {"outcome": "passed", "stubs": []})
    if report.failed:
        name = parts.stub_name(call.excinfo.value, call.excinfo.tb) if call.excinfo else None
        if name is None:
            entry["outcome"] = "failed"
        else:
            entry["stubs"].append(name)
            entry["outcome"] = "failed" if entry["outcome"] == "failed" else "stub"
    elif report.skipped and entry["outcome"] == "passed":
        entry["outcome"] = "skipped"


def pytest_sessionfinish(session):
    with open(os.environ["EDITION_OUTCOMES"], "w") as f:
        json.dump(outcomes, f)
'''


def run_part_tests(folder, scratch):
    """Every part's unit tests in `folder`, in one subprocess: {part: [{"outcome", "stubs"}]}.

    outcome: passed, skipped, stub (failed on a stub only) or failed (failed otherwise).
    """
    scratch.mkdir(parents=True, exist_ok=True)
    (scratch / "edition_outcomes.py").write_text(OUTCOMES_PLUGIN)
    dump = scratch / "outcomes.json"
    files = [f for f in PART_FILES if (folder / f).exists()]
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "--tb=no", "-p", "no:cacheprovider", "-p",
                           "edition_outcomes", *files], cwd=folder, env=dict(_env(folder, scratch),
                                                                             EDITION_OUTCOMES=str(dump)),
                          capture_output=True, text=True, timeout=300)
    assert dump.exists(), f"pytest did not run:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    by_part = {part.name: [] for part in parts.PARTS}
    for nodeid, entry in json.loads(dump.read_text()).items():
        by_part[parts.part_of_test(nodeid)].append({**entry, "nodeid": nodeid})
    return by_part


@pytest.fixture(scope="module")
def stub_run(real, tmp_path_factory):
    _, dest, _ = real
    return run_part_tests(dest, tmp_path_factory.mktemp("stub_run"))


def test_real_each_part_fails_on_its_stubs_and_only_on_them(real, stub_run):
    for part in parts.PARTS:
        entries = stub_run[part.name]
        assert entries, f"{part.tests}: no test ran"
        failed = [e["nodeid"] for e in entries if e["outcome"] == "failed"]
        assert not failed, f"{part.name}: tests fail on something other than a stub: {failed[:5]}"
        stubs = {name.split(" (")[0] for e in entries for name in e["stubs"]}
        if part.functions:
            assert stubs, f"{part.name}: no test fails on a stub, so its tests pass without the student's code"
            assert stubs <= set(part.functions), f"{part.name}: tests run into stubs of {stubs - set(part.functions)}"
        else:
            assert all(e["outcome"] in ("passed", "skipped") for e in entries), part.name


def restore(edition, source, path, keep=()):
    """Put the solution's regions back into the edition's module `path`, except those whose stub names a function
    in `keep`. Returns the names restored."""
    src_lines, src_regions = ms.module_regions((source / path).read_text(encoding="utf-8"), path)
    text = (edition / path).read_text(encoding="utf-8")
    lines, regions = ms.module_regions(text, path)
    names = parts.stub_names(lines, regions, text)
    assert len(src_regions) == len(regions), path
    restored = []
    for src, region, name in reversed(list(zip(src_regions, regions, names))):
        if name is None or name.split(" (")[0] not in keep:
            lines[region.start + 1:region.end] = src_lines[src.start + 1:src.end]
            restored.append(name)
    (edition / path).write_text("\n".join(lines), encoding="utf-8")
    return restored


# Round trip: the modules of these parts get their solution back; two_layer_net keeps one stub, softmax all of its
# own (svm brings back the LinearClassifier they share).
RESTORED, KEPT = ("knn", "svm", "two_layer_net"), ("TwoLayerNet.predict",)


@pytest.fixture(scope="module")
def round_trip(real, tmp_path_factory):
    source, dest, _ = real
    copy = tmp_path_factory.mktemp("round_trip") / "edition"
    shutil.copytree(dest, copy, ignore=shutil.ignore_patterns("notebooks"))
    for module in sorted({m for part in parts.PARTS if part.name in RESTORED for m in part.modules}):
        restore(copy, source, module, keep=KEPT)
    return copy, run_part_tests(copy, tmp_path_factory.mktemp("round_trip_run"))


def test_real_round_trip_putting_solutions_back_makes_the_tests_pass(round_trip):
    _, after = round_trip
    for name, entries in after.items():
        outcomes = {e["nodeid"]: e for e in entries}
        failed = [n for n, e in outcomes.items() if e["outcome"] == "failed"]
        assert not failed, f"{name}: tests fail with the solution back: {failed[:5]}"
        stubs = {s.split(" (")[0] for e in entries for s in e["stubs"]}
        if name == "two_layer_net":
            assert stubs == set(KEPT), f"{name}: the one stub left should fail its tests; stubs hit: {stubs}"
        elif name == "softmax":
            assert stubs and all(s.startswith("softmax_loss_") for s in stubs), stubs
        else:
            assert not stubs, f"{name}: still runs into {stubs}"


def _check_rows(output):
    """{part: [passed, failed, stubs, skipped]} from the self-check's table."""
    lines = output.split("\n")
    head = next((i for i, line in enumerate(lines) if line.split()[:6] ==
                 ["part", "passed", "failed", "stubs", "skipped", "status"]), None)
    assert head is not None, f"no table with the header `part  passed  failed  stubs  skipped  status`:\n{output}"
    return {line.split()[0]: [int(n) for n in line.split()[1:5]] for line in lines[head + 1:]
            if line.split()[:1] and line.split()[0] in parts.NAMES}


def test_real_self_check_reports_stubs_and_passes_with_the_solution_back(round_trip):
    copy, _ = round_trip
    proc = subprocess.run([sys.executable, "-m", "cs231n.check"], cwd=copy, env=_env(copy), capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 1, proc.stdout[-3000:] + proc.stderr[-3000:]
    rows = _check_rows(proc.stdout)
    assert set(rows) == set(parts.NAMES), proc.stdout
    for name in ("knn", "svm"):
        assert rows[name][0] > 0 and rows[name][1:3] == [0, 0], (name, rows[name])
    for name in ("softmax", "two_layer_net"):
        assert rows[name][1] == 0 and rows[name][2] > 0, (name, rows[name])
    proc = subprocess.run([sys.executable, "tools/check.py", "knn", "svm"], cwd=copy, env=_env(copy),
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert set(_check_rows(proc.stdout)) == {"knn", "svm"}


# Last, as asked: the boxes of the real edition (the generator refuses a region without one; this checks that
# both editions carry the same complete box above every region, and that every part's files have regions).
def test_real_every_region_has_its_box_and_holds_exactly_its_stub(real):
    source, dest, report = real
    assert check_boxes_and_stubs(source, dest, ms.source_files(source)) == sum(report.regions.values())
    for part in parts.PARTS:
        for module in part.modules:
            assert module in report.regions, f"{part.name}: {module} has no region"
        assert part.notebook in report.regions or part.notebook in report.answers, part.notebook


# The case, as a student meets it: a two-layer loss written the way a widely read walk-through writes it,
# with exactly two mistakes (scores shifted by each row's argmax instead of its max; grads['b1'] summed, not
# averaged), pasted into the edition; the self-check must name both, with their evidence, below its table.
WALK_THROUGH_LOSS = {
    "TwoLayerNet.loss (forward pass)": """\
        hidden = np.maximum(0, X.dot(W1) + b1)
        scores = hidden.dot(W2) + b2""",
    "TwoLayerNet.loss (loss)": """\
        N = X.shape[0]
        shifted = scores - np.argmax(scores, axis=1, keepdims=True)
        log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
        loss = -np.mean(log_probs[np.arange(N), y]) + reg * (np.sum(W1 * W1) + np.sum(W2 * W2))""",
    "TwoLayerNet.loss (backward pass)": """\
        dscores = np.exp(log_probs)
        dscores[np.arange(N), y] -= 1
        grads["W2"] = hidden.T.dot(dscores) / N + 2 * reg * W2
        grads["b2"] = np.sum(dscores, axis=0) / N
        dhidden = dscores.dot(W2.T)
        dhidden[hidden <= 0] = 0
        grads["W1"] = X.T.dot(dhidden) / N + 2 * reg * W1
        grads["b1"] = np.sum(dhidden, axis=0)""",
}


def test_real_self_check_names_both_mistakes_of_a_walk_through_loss(real, tmp_path):
    _, dest, _ = real
    copy = tmp_path / "edition"
    shutil.copytree(dest, copy, ignore=shutil.ignore_patterns("notebooks"))
    module = copy / "cs231n" / "classifiers" / "neural_net.py"
    text = module.read_text(encoding="utf-8")
    for name, code in WALK_THROUGH_LOSS.items():
        stub = parts.stub_line("        ", name)
        assert text.count(stub) == 1, name
        text = text.replace(stub, code)
    module.write_text(text, encoding="utf-8")
    proc = subprocess.run([sys.executable, "tools/check.py", "two_layer_net"], cwd=copy, env=_env(copy),
                          capture_output=True, text=True, timeout=300)
    out = proc.stdout
    assert proc.returncode == 1, out + proc.stderr
    assert _check_rows(out)["two_layer_net"][1] > 0  # failed tests, counted
    below = out.split("What is wrong")[1]
    lines = ["- " + block.replace("\n  ", " ") for block in below.split("\n- ")[1:]]
    assert len(lines) == 2 and all(line.startswith("- TwoLayerNet.loss: ") for line in lines), below
    assert "shifted by each row's argmax (a column index) instead of its max" in lines[0]
    assert "np.max(scores, axis=1, keepdims=True)" in lines[0]
    assert "grads['b1'] is 5.00 times the numerical gradient" in lines[1]
    assert "divide the bias gradient by N like the others" in lines[1]
    assert "Traceback" not in out and "AssertionError" not in out  # the hints are not buried


# README.md quotes a box as the student edition shows it, and the self-check's table in an edition with only the
# kNN part written: both must be what the edition really holds and prints.
def _readme_block(start, end, fence):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split(start, 1)[1].split(end, 1)[0] if start in text else text.split(fence, 1)[1]
    return block.split(fence, 1)[1].split("```", 1)[0].strip("\n")


def test_readme_quotes_the_edition_box_and_the_self_checks_table(real, tmp_path):
    source, dest, _ = real
    snippet = _readme_block("## Where you write", "## Check yourself", "```python\n")
    module = (dest / "cs231n/classifiers/k_nearest_neighbor.py").read_text(encoding="utf-8")
    assert snippet in module, "README's box example is not what the edition holds; copy it from the edition again"

    copy = tmp_path / "edition"
    shutil.copytree(dest, copy, ignore=shutil.ignore_patterns("notebooks"))
    restore(copy, source, "cs231n/classifiers/k_nearest_neighbor.py")
    env = dict(_env(copy), COLUMNS="110")
    proc = subprocess.run([sys.executable, "-m", "cs231n.check"], cwd=copy, env=env, capture_output=True,
                          text=True, timeout=300)
    lines = proc.stdout.split("\n")
    head = next(i for i, line in enumerate(lines) if line.startswith("part "))
    table = "\n".join(lines[head:lines.index("", head)])
    quoted = _readme_block("<!-- check-example:start -->", "<!-- check-example:end -->", "```\n")
    assert quoted == table, f"README's check example is stale; the self-check now prints:\n{table}"
    assert quoted in (ROOT / "README.zh-CN.md").read_text(encoding="utf-8"), "README.zh-CN.md quotes another table"
