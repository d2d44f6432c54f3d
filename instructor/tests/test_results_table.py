"""instructor/results_table.py: the results tables of README.md and README.zh-CN.md must match the executed
notebooks.

The first tests compare the real READMEs with the real notebooks; the rest check the parser and the table on small
synthetic notebooks built with nbformat.
"""

import json

import nbformat
import pytest

from cs231n.results import RESULTS_MIME
from instructor import results_table as rt

ROOT = rt.ROOT


@pytest.mark.parametrize("readme", rt.READMES)
@pytest.mark.parametrize("name", rt.NOTEBOOKS)
def test_readme_table_matches_notebook(readme, name):
    path = ROOT / "notebooks" / f"{name}.ipynb"
    _, block, _ = rt.split_readme((ROOT / readme).read_text(encoding="utf-8"))
    expected = rt.table_rows(name, rt.read_notebook(path), rt.language_of(readme))
    in_readme = [row for row in block.splitlines() if row.startswith(f"| [{name}](")]
    assert in_readme == expected, (
        f"{readme}'s results table disagrees with notebooks/{name}.ipynb.\n{readme}:\n"
        + ("\n".join(in_readme) or "(no row for this notebook)") + "\nnotebook:\n"
        + "\n".join(expected) + f"\nrun `make results` and commit {readme}")


def test_readme_blocks_are_current():
    assert rt.main(["--check"]) == 0


def test_the_chinese_table_says_the_same_in_its_words():
    info = {"figures": {"notebook": "knn", "test_acc": 0.282, "best_k": 10, "cv_acc": 0.2802}, "run_time": 125.4}
    (english,) = rt.table_rows("knn", info)
    (chinese,) = rt.table_rows("knn", info, "zh-CN")
    assert "0.280 (cross-validation)" in english and "0.280（交叉验证）" in chinese
    assert "2 min 05 s" in english and "2 分 05 秒" in chinese
    assert "official, k = 1: test 0.274 (137 / 500)" in english and "官方，k = 1: 测试 0.274 (137 / 500)" in chinese
    assert rt.language_of("README.zh-CN.md") == "zh-CN" and rt.language_of("docs/README.md") == "en"


def _notebook(tmp_path, name, payloads=(), starts=(), ends=(), mime_as_text=False):
    """Write a synthetic executed notebook: one code cell per (payload, start, end), timestamps as nbclient."""
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("# title"))
    count = max(len(payloads), len(starts), 1)
    for i in range(count):
        cell = nbformat.v4.new_code_cell(f"x = {i}")
        if i < len(payloads):
            data = {"text/plain": "summary", RESULTS_MIME: json.dumps(payloads[i]) if mime_as_text else payloads[i]}
            cell.outputs = [nbformat.v4.new_output("display_data", data=data)]
        if i < len(starts):
            cell.metadata["execution"] = {"iopub.status.busy": starts[i], "iopub.execute_input": starts[i],
                                          "shell.execute_reply": ends[i], "iopub.status.idle": ends[i]}
        nb.cells.append(cell)
    path = tmp_path / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def test_read_notebook_takes_figures_and_run_time(tmp_path):
    payload = {"notebook": "svm", "val_acc": 0.401, "test_acc": 0.389, "config": "lr 1e-7, reg 2.5e4"}
    path = _notebook(tmp_path, "svm", payloads=[payload],
                     starts=["2026-11-26T06:00:00.000000Z", "2026-11-26T06:00:05.500000Z"],
                     ends=["2026-11-26T06:00:05.000000Z", "2026-11-26T06:02:10.250000Z"])
    info = rt.read_notebook(path)
    assert info["figures"] == payload
    assert info["run_time"] == pytest.approx(5.0 + 124.75)  # the 0.5 s pause between the cells is not counted


def test_read_notebook_uses_the_last_recorded_payload_and_accepts_text_json(tmp_path):
    first = {"notebook": "softmax", "val_acc": 0.1}
    last = {"notebook": "softmax", "val_acc": 0.405, "test_acc": 0.392}
    info = rt.read_notebook(_notebook(tmp_path, "softmax", payloads=[first, last], mime_as_text=True))
    assert info["figures"] == last
    assert info["run_time"] is None  # no timestamps: never executed by nbclient


def test_unexecuted_notebook_gives_a_row_that_says_so(tmp_path):
    info = rt.read_notebook(_notebook(tmp_path, "knn"))
    assert info == {"figures": None, "run_time": None}
    (row,) = rt.table_rows("knn", info)
    assert "not executed" in row


def test_payload_for_another_notebook_is_an_error(tmp_path):
    path = _notebook(tmp_path, "svm", payloads=[{"notebook": "softmax", "val_acc": 0.4}])
    with pytest.raises(rt.ResultsError, match="notebook='softmax', expected 'svm'"):
        rt.read_notebook(path)


def test_unreadable_notebook_is_an_error(tmp_path):
    path = tmp_path / "knn.ipynb"
    path.write_text("{ not json")
    with pytest.raises(rt.ResultsError, match="not a readable notebook"):
        rt.read_notebook(path)


def test_rows_show_rounded_accuracies_references_and_run_time():
    info = {"figures": {"notebook": "knn", "test_acc": 0.282, "best_k": 10}, "run_time": 125.4}
    (row,) = rt.table_rows("knn", info)
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[0] == "[knn](notebooks/knn.ipynb)<br>k-nearest neighbours<br>best k = 10"
    assert cells[1:3] == ["—", "0.282"]
    assert "141 / 500" in cells[3] and "issue 3" in cells[3]
    assert cells[4] == "2 min 05 s"


def test_knn_cross_validation_accuracy_fills_the_validation_column():
    figures = {"notebook": "knn", "test_acc": 0.282, "best_k": 10, "cv_acc": 0.2802}
    (row,) = rt.table_rows("knn", {"figures": figures, "run_time": 60.0})
    assert "| 0.280 (cross-validation) | 0.282 |" in row
    assert "cv_acc" not in row  # shown in its column, not repeated as a detail


def test_features_plain_figures_are_the_svm_beside_the_prefixed_net():
    figures = {"notebook": "features", "val_acc": 0.507, "test_acc": 0.497, "nn_val_acc": 0.603,
               "nn_test_acc": 0.596, "extract_seconds": 2.3456, "config": "HOG + hue; SVM ...; net ..."}
    svm_row, net_row = rt.table_rows("features", {"figures": figures, "run_time": 150.0})
    assert "<br>linear SVM<br>feature extraction 2.3 s<br>HOG + hue; SVM ...; net ..." in svm_row
    assert "| 0.507 | 0.497 |" in svm_row and "0.475–0.497" in svm_row and "0.579–0.592" not in svm_row
    assert "<br>two-layer net |" in net_row and "| 0.603 | 0.596 |" in net_row and "0.579–0.592" in net_row
    assert "extract_seconds" not in net_row


def test_each_model_of_a_notebook_gets_its_own_row():
    figures = {"notebook": "features", "svm_val_acc": 0.5012, "svm_test_acc": 0.4949,
               "nn_val_acc": 0.6011, "nn_test_acc": 0.5948, "nn_config": "H 500"}
    rows = rt.table_rows("features", {"figures": figures, "run_time": 42.0})
    assert len(rows) == 2
    assert "linear SVM" in rows[0] and "| 0.501 | 0.495 |" in rows[0] and "0.475–0.497" in rows[0]
    assert "two-layer net<br>H 500" in rows[1] and "| 0.601 | 0.595 |" in rows[1] and "0.579–0.592" in rows[1]
    assert rows[1].endswith("| 42 s |")


@pytest.mark.parametrize("bad", [1.5, -0.1, "0.4"])
def test_accuracy_outside_0_1_is_an_error(bad):
    with pytest.raises(rt.ResultsError, match=r"fractions in \[0, 1\]"):
        rt.table_rows("svm", {"figures": {"notebook": "svm", "val_acc": bad}, "run_time": None})


def test_no_accuracy_recorded_is_an_error():
    with pytest.raises(rt.ResultsError, match="records no accuracies"):
        rt.table_rows("svm", {"figures": {"notebook": "svm", "config": "x"}, "run_time": None})


def test_missing_notebook_row_and_full_table(tmp_path):
    _notebook(tmp_path, "svm", payloads=[{"notebook": "svm", "val_acc": 0.4, "test_acc": 0.39}],
              starts=["2026-11-26T06:00:00Z"], ends=["2026-11-26T06:00:30Z"])
    table = rt.build_table(tmp_path)
    lines = table.splitlines()
    assert lines[0].startswith("| Notebook | Validation accuracy | Test accuracy | Reference figures | Run time |")
    assert sum(line.startswith("| [") for line in lines) == len(rt.NOTEBOOKS)
    assert "| 0.400 | 0.390 |" in table and "| 30 s |" in table
    assert table.count("not written yet") == len(rt.NOTEBOOKS) - 1


def test_write_then_check_round_trip_and_stale_detection(tmp_path, capsys):
    nb_dir = tmp_path / "notebooks"
    nb_dir.mkdir()
    payload = {"notebook": "softmax", "val_acc": 0.405, "test_acc": 0.392}
    _notebook(nb_dir, "softmax", payloads=[payload])
    readme = tmp_path / "README.md"
    readme.write_text(f"# Title\n\n## Results\n\n{rt.START_MARKER}\nold table\n{rt.END_MARKER}\n\nMore text.\n")
    args = ["--notebooks", str(nb_dir)]
    assert rt.main(["--check", str(readme), *args]) == 1
    assert rt.main(["--write", str(readme), *args]) == 0
    text = readme.read_text()
    assert text.startswith("# Title\n\n## Results\n\n") and text.endswith(f"{rt.END_MARKER}\n\nMore text.\n")
    assert "old table" not in text and "| 0.405 | 0.392 |" in text
    assert rt.main(["--check", str(readme), *args]) == 0

    payload["test_acc"] = 0.393  # the notebook changes; the README must now be stale
    _notebook(nb_dir, "softmax", payloads=[payload])
    assert rt.main(["--check", str(readme), *args]) == 1
    assert "stale" in capsys.readouterr().err


@pytest.mark.parametrize("text", ["no markers", f"{rt.START_MARKER} only", f"{rt.END_MARKER} x {rt.START_MARKER}",
                                  f"{rt.START_MARKER}{rt.START_MARKER}{rt.END_MARKER}"])
def test_bad_markers_are_an_error(text):
    with pytest.raises(rt.ResultsError, match="README"):
        rt.split_readme(text)


def test_real_execution_records_what_the_parser_reads(tmp_path):
    """Execute a two-cell notebook with nbclient (as nbconvert does): record_results' output and the cells'
    timestamps must be where read_notebook looks for them."""
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import time; time.sleep(0.2)"),
                nbformat.v4.new_code_cell("from cs231n.results import record_results\n"
                                          "record_results('svm', val_acc=0.4, test_acc=0.39, config='toy')")]
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    path = tmp_path / "svm.ipynb"
    nbformat.write(nb, path)
    info = rt.read_notebook(path)
    assert info["figures"] == {"notebook": "svm", "val_acc": 0.4, "test_acc": 0.39, "config": "toy"}
    assert 0.2 <= info["run_time"] < 60
