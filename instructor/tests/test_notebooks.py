"""The committed notebooks read right in every viewer: their stored outputs are one top-to-bottom run with nothing
unfinished or noisy in it, they convert to HTML, and they stay small enough to open anywhere.

nbval (`make test`) proves the outputs are what the current code prints; these tests look at what a reader sees.
"""

import json
import re

import pytest

from cs231n.parts import PARTS, ROOT

NOTEBOOKS = [ROOT / part.notebook for part in PARTS]
MAX_BYTES = 500 * 1024
WIDGET = "application/vnd.jupyter.widget-view+json"
# tqdm's text: "grid:  40%|####      | 4/10 [00:12<00:18, ...]"; the finished state says 100%.
BAR = re.compile(r"(\d{1,3})%\|")
WARNING = re.compile(r"\b\w*Warning\b:|^\s*warnings\.warn\(", re.M)


def outputs(path):
    """(cell index, output) for every stored output of a notebook."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [(i, out) for i, cell in enumerate(cells) if cell["cell_type"] == "code" for out in cell["outputs"]]


def texts(output):
    """Every piece of text an output shows (stream text, text/plain, text/html)."""
    if output["output_type"] == "stream":
        yield "".join(output["text"])
    for mime in ("text/plain", "text/html"):
        value = output.get("data", {}).get(mime)
        if value is not None:
            yield "".join(value) if isinstance(value, list) else value


def unfinished_bars(path):
    found = []
    for i, output in outputs(path):
        if WIDGET in output.get("data", {}):
            found.append(f"cell {i}: a progress widget (shows as '0%|' outside JupyterLab)")
        for text in texts(output):
            found += [f"cell {i}: {m.group(0)}" for m in BAR.finditer(text) if int(m.group(1)) < 100]
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_unfinished_progress_bar(path):
    assert not unfinished_bars(path)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_stderr_warning_or_error_in_stored_outputs(path):
    problems = []
    for i, output in outputs(path):
        if output["output_type"] == "stream" and output["name"] == "stderr":
            problems.append(f"cell {i}: stderr: {''.join(output['text'])[:80]!r}")
        if output["output_type"] == "error":
            problems.append(f"cell {i}: {output['ename']}")
        problems += [f"cell {i}: {m.group(0)}" for text in texts(output) for m in WARNING.finditer(text)]
    assert not problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_cell_prints_into_one_box(path):
    """Lines a cell prints one after another are stored as one stream output (`make notebooks` coalesces them);
    split into many, nbconvert and GitHub show a separate box for each."""
    split = [i for (i, a), (j, b) in zip(outputs(path), outputs(path)[1:])
             if i == j and a["output_type"] == b["output_type"] == "stream" and a["name"] == b["name"]]
    assert not split, f"cells with consecutive stream outputs: {sorted(set(split))}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_executed_top_to_bottom_in_one_run(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    counts = [c["execution_count"] for c in cells if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    assert counts == list(range(1, len(counts) + 1))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_small_enough_to_open_anywhere(path):
    assert path.stat().st_size <= MAX_BYTES, f"{path.name} is {path.stat().st_size / 1024:.0f} KB"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_math_that_renders_everywhere(path):
    # \mathbb{1} shows as a plain 1 in MathJax without the bbm package; code spans inside $...$ show their backticks.
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    markdown = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert r"\mathbb{1}" not in markdown
    math = re.findall(r"\$\$.+?\$\$|\$[^$\n]+\$", markdown, re.S)
    assert not [m for m in math if "`" in m]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_converts_to_html(path):
    nbconvert = pytest.importorskip("nbconvert")
    import nbformat

    body, _ = nbconvert.HTMLExporter().from_notebook_node(nbformat.read(path, as_version=4))
    assert "<html" in body and len(body) > 10_000
    # the conversion carries every figure: as many <img> as there are stored PNGs
    pngs = sum("image/png" in out.get("data", {}) for _, out in outputs(path))
    assert body.count("<img") >= pngs


def test_the_checks_would_catch_an_unfinished_bar(tmp_path):
    notebook = {"cells": [{"cell_type": "code", "execution_count": 1, "metadata": {}, "source": ["x"], "outputs": [
        {"output_type": "display_data", "metadata": {},
         "data": {"text/plain": "grid:   0%|          | 0/9 [00:00<?, ?it/s]", WIDGET: {"model_id": "m"}}},
        {"output_type": "stream", "name": "stdout", "text": ["grid:  44%|####4     | 4/9\n"]}]}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(notebook))
    assert len(unfinished_bars(path)) == 3
