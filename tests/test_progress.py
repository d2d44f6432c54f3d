"""cs231n.progress: a bar that moves while the work runs and leaves its finished state, as plain text, behind."""

import nbformat
import pytest

from cs231n.progress import progress


def test_in_a_terminal_it_is_tqdm_on_stderr(capsys):
    total = sum(x for x in progress(range(5), desc="work"))
    assert total == 10
    captured = capsys.readouterr()
    assert captured.out == "" and "work: 100%" in captured.err and "5/5" in captured.err


def test_disabled_it_prints_nothing(capsys):
    assert list(progress(range(3), disable=True)) == [0, 1, 2]
    assert capsys.readouterr() == ("", "")


def test_in_a_kernel_the_stored_output_is_the_finished_line_in_plain_text():
    """Run a cell as nbconvert does: the saved output must be one display, '100%', text only (no widget)."""
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import time\nfrom cs231n.progress import progress\n"
                                          "for _ in progress(range(4), desc='grid'):\n    time.sleep(0.15)\n"
                                          "with progress(total=6, desc='images', unit='img') as bar:\n"
                                          "    bar.update(6)")]
    nbclient.NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    outputs = nb.cells[0].outputs
    assert [o.output_type for o in outputs] == ["display_data", "display_data"]
    for output, start in zip(outputs, ("grid: 100%|", "images: 100%|")):
        assert set(output.data) == {"text/plain"}, output.data
        assert output.data["text/plain"].startswith(start)
    assert "6/6" in outputs[1].data["text/plain"]
