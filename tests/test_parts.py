"""cs231n.parts: the registry agrees with the files, and the region grammar (markers, task boxes, stub names)."""

import ast
import sys

import pytest

from cs231n import parts
from cs231n.parts import END, START, MarkerError, find_regions, stub_name, stub_names, task_box

BOX = ["# -- TODO: forward pass ------------------", "# Compute scores (N, C).", "# Hint: np.maximum.",
       "# ----------------------------------------"]


def test_every_part_has_its_notebook_tests_and_modules():
    for part in parts.PARTS:
        assert (parts.ROOT / part.notebook).is_file(), part.notebook
        assert (parts.ROOT / part.tests).is_file(), part.tests
        for module in part.modules:
            assert (parts.ROOT / module).is_file(), module


def test_every_function_a_student_writes_has_a_region_in_its_parts_modules():
    for part in parts.PARTS:
        named = set()
        for module in part.modules:
            source = (parts.ROOT / module).read_text()
            lines = source.split("\n")
            named |= {name.split(" (")[0] for name in stub_names(lines, find_regions(lines, module), source)}
        assert set(part.functions) <= named, (part.name, set(part.functions) - named)


def test_every_region_in_the_package_belongs_to_a_part_and_has_a_task_box():
    in_parts = {module for part in parts.PARTS for module in part.modules}
    for path in sorted((parts.ROOT / "cs231n").rglob("*.py")):
        lines = path.read_text().split("\n")
        regions = find_regions(lines, str(path))
        relative = path.relative_to(parts.ROOT).as_posix()
        assert bool(regions) == (relative in in_parts), relative
        for region in regions:
            assert parts.box_problem(lines, region.start) is None, f"{relative}, line {region.start + 1}"


def test_get_and_part_of_test():
    assert parts.get("svm").tests == "tests/test_svm.py"
    with pytest.raises(ValueError, match="unknown part 'svn'; the parts are knn, svm"):
        parts.get("svn")
    assert parts.part_of_test("tests/test_two_layer_net.py::test_x[a-b]") == "two_layer_net"
    assert parts.part_of_test("/somewhere/else/tests/test_knn.py::test_y") == "knn"
    assert parts.part_of_test("tests/test_datasets.py::test_z") is None
    assert parts.parts_of_function("LinearClassifier.train") == ["svm", "softmax"]


@pytest.mark.parametrize("lines, line, words", [
    ([START, "x = 1"], 1, "without an END"),
    (["x = 1", END], 2, "END marker without a START"),
    ([START, START, END], 2, "regions never nest"),
    (["# *****START OF YOUR CODE (DO NOT DELETE THIS LINE)*****"], 1, "altered marker"),
])
def test_marker_errors_name_the_line(lines, line, words):
    with pytest.raises(MarkerError, match=rf"where, line {line}: .*{words}"):
        find_regions(lines, "where")


@pytest.mark.parametrize("box, problem", [
    (BOX, None), ([], "no task box"), (["# -- TODO: ---", *BOX[1:]], "no title"),
    ([BOX[0], BOX[2], BOX[3]], "at least two lines"), ([BOX[0], BOX[1], "# more text", BOX[3]], "no line starting"),
])
def test_box_problem_names_what_a_box_lacks(box, problem):
    lines = ["x = 0", *box, START, "y = 1", END]
    found = parts.box_problem(lines, len(box) + 1)
    assert found == problem if problem is None else problem in found


def test_task_box_is_read_from_directly_above_the_start_marker():
    lines = ["x = 0", *BOX, START, "y = 1", END]
    box = task_box(lines, 5)
    assert box.title == "forward pass" and box.body == ("Compute scores (N, C).", "Hint: np.maximum.")
    assert box.first == 1
    assert task_box(["x = 0", START], 1) is None  # nothing above
    assert task_box(["x = 0", BOX[-1], START], 2) is None  # a rule without a title is not a box
    assert task_box([BOX[0], "code()", BOX[-1], START], 3) is None  # code inside is not a box


def test_stub_names_use_the_function_and_the_box_title_when_a_function_has_several_regions():
    source = "\n".join(["class Net:", "    def loss(self):", *("    " + b for b in BOX), "        " + START,
                        "        pass", "        " + END, "        # -- TODO: backward ----", "        # a",
                        "        # Hint: b", "        # ------", "        " + START, "        pass", "        " + END,
                        "", "def train():", "    " + START, "    pass", "    " + END, "", START, END])
    lines = source.split("\n")
    names = stub_names(lines, find_regions(lines, "m.py"), source)
    assert names == ["Net.loss (forward pass)", "Net.loss (backward)", "train", None]
    cell = [*BOX, START, "x = 1", END]
    assert stub_names(cell, find_regions(cell, "cell"), None) == ["forward pass"]


def _raise_from(source, tmp_path, monkeypatch):
    """Run `f()` of a module written to disk; return the exception it raised."""
    (tmp_path / "stubbed_module.py").write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("stubbed_module", None)
    import stubbed_module

    try:
        stubbed_module.Net().custom()
    except Exception as exc:  # noqa: BLE001 -- the point is to look at whatever it raised
        return exc
    raise AssertionError("expected an exception")


@pytest.mark.parametrize("body, expected", [
    ('raise NotImplementedError("TODO: write Net.custom (forward pass)")', "Net.custom (forward pass)"),
    ("raise NotImplementedError", "Net.custom"),  # a bare stub right after START: the enclosing function names it
])
def test_stub_name_recognises_stubs_on_every_python(body, expected, tmp_path, monkeypatch):
    # Python 3.10 has no co_qualname: the name must come from the source, not from the code object.
    source = f"class Net:\n    def custom(self):\n        {START}\n        {body}\n        {END}\n"
    assert stub_name(_raise_from(source, tmp_path, monkeypatch)) == expected


@pytest.mark.parametrize("body", ['raise NotImplementedError("not yet")', "raise ValueError('TODO: write x')",
                                  "return 1 / 0"])
def test_stub_name_is_none_for_other_errors(body, tmp_path, monkeypatch):
    source = f"class Net:\n    def custom(self):\n        x = 1\n        {body}\n"
    assert stub_name(_raise_from(source, tmp_path, monkeypatch)) is None


def test_the_stub_line_is_valid_python():
    for name in ("svm_loss_naive", 'odd "quoted" name', None):
        ast.parse(parts.stub_line("    ", name).strip())
