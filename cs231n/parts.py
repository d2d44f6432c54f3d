"""The five parts of the assignment, named once, and the grammar of the regions a student writes.

Everything that needs to know the parts reads them from here: the self-check (`cs231n.check`), the pytest hooks
in conftest.py, the student-edition generator and the results table of the instructor wing, and the tests.

A *region* is the code between the two marker lines below, in a module of `cs231n/` or in a notebook code cell.
Directly above every START marker stands a *task box*, a comment block in this shape:

    # -- TODO: forward pass ---------------------------------------------------------------------------------
    # What to compute, into which variables, with their shapes ...
    # Hint: one hint.
    # -----------------------------------------------------------------------------------------------------
    <the START marker line>
    ... the student's code, and nothing else ...
    <the END marker line>

In the student edition a region holds one line, the stub `raise NotImplementedError("TODO: write <name>")`, where
<name> is the function (e.g. "svm_loss_naive"), followed by the box title when the function has several regions
("TwoLayerNet.loss (forward pass)"); in a notebook cell it is the box title alone.
"""

import ast
import json
import linecache
from dataclasses import dataclass
from pathlib import Path, PurePath

START = "# *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****"
END = "# *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****"
STUB_PREFIX = "TODO: write "
BOX_TITLE = "# -- TODO: "
BOX_RULE = "# ---"  # the closing rule: "# " and dashes only

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Part:
    """One part of the assignment: its notebook, its student modules, its unit tests, its functions."""

    name: str  # short name, the notebook's stem: "knn"
    title: str  # "k-nearest neighbours"
    notebook: str  # path relative to the project root
    tests: str  # the unit tests of the part, relative to the project root
    modules: tuple  # the modules of cs231n/ holding the part's regions (relative paths)
    functions: tuple  # the functions a student writes, as stubs and check() name them


PARTS = (
    Part("knn", "k-nearest neighbours", "notebooks/knn.ipynb", "tests/test_knn.py",
         ("cs231n/classifiers/k_nearest_neighbor.py",),
         ("KNearestNeighbor.compute_distances_two_loops", "KNearestNeighbor.compute_distances_one_loop",
          "KNearestNeighbor.compute_distances_no_loops", "KNearestNeighbor.predict_labels")),
    Part("svm", "Linear SVM", "notebooks/svm.ipynb", "tests/test_svm.py",
         ("cs231n/classifiers/linear_svm.py", "cs231n/classifiers/linear_classifier.py"),
         ("svm_loss_naive", "svm_loss_vectorized", "LinearClassifier.train", "LinearClassifier.predict")),
    Part("softmax", "Softmax", "notebooks/softmax.ipynb", "tests/test_softmax.py",
         ("cs231n/classifiers/softmax.py", "cs231n/classifiers/linear_classifier.py"),
         ("softmax_loss_naive", "softmax_loss_vectorized", "LinearClassifier.train", "LinearClassifier.predict")),
    Part("two_layer_net", "Two-layer network", "notebooks/two_layer_net.ipynb", "tests/test_two_layer_net.py",
         ("cs231n/classifiers/neural_net.py",),
         ("TwoLayerNet.loss", "TwoLayerNet.train", "TwoLayerNet.predict")),
    # As in the official assignment, the features exercises are in the notebook; cs231n/features.py is given.
    Part("features", "HOG + hue features", "notebooks/features.ipynb", "tests/test_features.py", (), ()),
)
NAMES = tuple(part.name for part in PARTS)


def get(name):
    """The Part called `name`; a ValueError listing the parts for any other name."""
    for part in PARTS:
        if part.name == name:
            return part
    raise ValueError(f"unknown part {name!r}; the parts are {', '.join(NAMES)}")


def part_of_test(nodeid):
    """The part a pytest node id belongs to ('tests/test_knn.py::test_x[1]' -> 'knn'), or None."""
    path = PurePath(nodeid.split("::")[0]).as_posix()
    for part in PARTS:
        if path == part.tests or path.endswith("/" + part.tests):
            return part.name
    return None


def parts_of_function(function):
    """Names of the parts whose student functions include `function` (LinearClassifier.train is in two)."""
    return [part.name for part in PARTS if function in part.functions]


# ------------------------------------------------------------------------------------------------- regions


class MarkerError(ValueError):
    """Marker lines that do not pair up; the message names the file (or cell) and the line."""


@dataclass(frozen=True)
class Region:
    """One START/END pair: 0-based indexes of the two marker lines in a list of lines."""

    start: int
    end: int


def find_regions(lines, where):
    """Locate the regions in a list of lines (without line ends).

    `where` names the text in errors ("cs231n/features.py", "notebooks/knn.ipynb, cell 7"). Returns the Regions
    in order. Raises MarkerError with the 1-based line for an END without START, a START without END, a START
    inside a region (regions never nest) or a marker line that was edited.
    """
    regions, open_at = [], None
    for i, line in enumerate(lines):
        text = line.strip()
        if text == START:
            if open_at is not None:
                raise MarkerError(f"{where}, line {i + 1}: START marker inside the region opened at line "
                                  f"{open_at + 1}; close that region with its END marker first (regions never nest)")
            open_at = i
        elif text == END:
            if open_at is None:
                raise MarkerError(f"{where}, line {i + 1}: END marker without a START marker before it; add the START "
                                  "line above the student's code or delete this END line")
            regions.append(Region(open_at, i))
            open_at = None
        elif text.startswith("#") and ("START OF YOUR CODE" in text or "END OF YOUR CODE" in text):
            raise MarkerError(f"{where}, line {i + 1}: altered marker line {text!r}; marker lines must read exactly "
                              f"{START!r} or {END!r}")
    if open_at is not None:
        raise MarkerError(f"{where}, line {open_at + 1}: START marker without an END marker; add {END!r} after the "
                          "student's code")
    return regions


@dataclass(frozen=True)
class TaskBox:
    """The instruction box above a START marker: its title and the lines of text between title and rule."""

    title: str
    body: tuple  # the text of each body line, without the leading "# "
    first: int  # 0-based index of the title line


def task_box(lines, start):
    """The TaskBox directly above the START marker at 0-based index `start`, or None when there is none."""
    i = start - 1
    if i < 0 or not _is_rule(lines[i]):
        return None
    body = []
    for j in range(i - 1, -1, -1):
        text = lines[j].strip()
        if text.startswith(BOX_TITLE):
            title = text[len(BOX_TITLE):].rstrip("- ").strip()
            return TaskBox(title, tuple(reversed(body)), j)
        if not text.startswith("#"):
            return None
        body.append(text[1:].strip())
    return None


def box_problem(lines, start):
    """What is missing from the task box above the START marker at index `start`, or None when it is complete:
    a title, at least two lines of text, one of them a "Hint:"."""
    box = task_box(lines, start)
    if box is None:
        return "no task box directly above the START marker"
    if not box.title:
        return f"the task box has no title after {BOX_TITLE.strip()!r}"
    if len([text for text in box.body if text]) < 2:
        return "the task box needs at least two lines of text: the task and a 'Hint:' line"
    if not any(text.startswith("Hint:") for text in box.body):
        return "the task box has no line starting with 'Hint:'"
    return None


def _is_rule(line):
    text = line.strip()
    return text.startswith(BOX_RULE) and set(text[1:].strip()) == {"-"}


def functions_in(source, where="<source>"):
    """(first line, last line, qualified name) of every function in Python source, e.g. 'TwoLayerNet.loss'."""
    spans = []

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                spans.append((child.lineno, child.end_lineno, prefix + child.name))
                visit(child, prefix + child.name + ".")
            elif isinstance(child, ast.ClassDef):
                visit(child, prefix + child.name + ".")
            else:
                visit(child, prefix)

    visit(ast.parse(source, where), "")
    return spans


def enclosing_function(spans, lineno):
    """Name of the innermost function (from functions_in) whose body holds 1-based `lineno`, else None."""
    inside = [(first, name) for first, last, name in spans if first < lineno <= last]
    return max(inside)[1] if inside else None


def stub_names(lines, regions, module_source):
    """The name each region's stub gives.

    Inputs: lines of a module or cell, its Regions, and module_source: the module's text (the enclosing function
    names the stub), or None for a notebook cell (the box title does).
    Returns one name per region: "svm_loss_naive", "TwoLayerNet.loss (forward pass)", "cross-validation"; a
    module-level region gets None (its stub is `pass`).
    """
    titles = [box.title if (box := task_box(lines, r.start)) else None for r in regions]
    if module_source is None:
        return [title or "the code of this cell" for title in titles]
    spans = functions_in(module_source)
    functions = [enclosing_function(spans, r.start + 1) for r in regions]
    names = []
    for function, title in zip(functions, titles):
        several = function is not None and functions.count(function) > 1
        names.append(f"{function} ({title})" if several and title else function)
    return names


def stub_line(indent, name):
    """The one line a stubbed region holds."""
    return f"{indent}pass" if name is None else f"{indent}raise NotImplementedError({json.dumps(STUB_PREFIX + name)})"


def stub_name(exc, tb=None):
    """The name of the stub an exception came from ('TwoLayerNet.loss (forward pass)'), or None.

    A stub is a NotImplementedError whose message starts with STUB_PREFIX, or a bare `raise NotImplementedError`
    standing right after a START marker (then the enclosing function names it). `tb` is the traceback (default
    exc.__traceback__).
    """
    if not isinstance(exc, NotImplementedError):
        return None
    message = str(exc)
    if message.startswith(STUB_PREFIX):
        return message[len(STUB_PREFIX):]
    tb = tb if tb is not None else exc.__traceback__
    if tb is None:
        return None
    while tb.tb_next is not None:
        tb = tb.tb_next
    filename, lineno = tb.tb_frame.f_code.co_filename, tb.tb_lineno
    if linecache.getline(filename, lineno - 1).strip() != START:
        return None
    try:
        spans = functions_in("".join(linecache.getlines(filename)), filename)
    except SyntaxError:
        return tb.tb_frame.f_code.co_name
    return enclosing_function(spans, lineno) or tb.tb_frame.f_code.co_name
