"""Build the README's "Results" table from the executed notebooks, so no figure in it is typed by hand.

Each notebook's last code cell calls `cs231n.results.record_results(...)`, which stores its headline figures as
JSON under the MIME type `cs231n.results.RESULTS_MIME` in that cell's output. nbclient (what
`jupyter nbconvert --execute` runs on) stamps every executed cell with `metadata.execution` timestamps; the run
time is the sum over the cells of busy -> reply, so a notebook run piecemeal in JupyterLab is not charged for
the pauses between cells.

    python instructor/results_table.py                 # print the table
    python instructor/results_table.py --write         # rewrite the block in README.md and README.zh-CN.md
    python instructor/results_table.py --check         # exit 1 when a block is stale (what the tests run)
    python instructor/results_table.py --write FILE    # only this README (its language from the file name)

The reference figures below are data, each with its source. They come from the project's issues, which quote the
official CS231n assignment notebooks (the expected figures) and published solutions (their best results).
"""

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a plain script from a checkout, even without `pip install -e .`

from cs231n import parts  # noqa: E402
from cs231n.results import RESULTS_MIME  # noqa: E402

START_MARKER = "<!-- results:start -->"
END_MARKER = "<!-- results:end -->"
NOTEBOOKS = parts.NAMES
READMES = ("README.md", "README.zh-CN.md")  # each has a results block; the file name says its language
# Models inside one notebook: record_results("features", svm_val_acc=..., nn_test_acc=...) gives one row each.
MODEL_NAMES = {"svm": "linear SVM", "nn": "two-layer net", "net": "two-layer net", "softmax": "softmax"}

# Whose figures a notebook's plain val_acc/test_acc are when it records further models under prefixes.
PLAIN_MODEL = {"features": "svm"}
# Figures with a column (or a line) of their own; any other figure is listed under the notebook's name.
NOT_DETAILS = {"notebook", "val_acc", "test_acc", "cv_acc", "config"}
# How known figures read in the notebook cell; any other figure shows as "name = value".
DETAIL_FORMATS = {"best_k": "best k = {}"}

# Reference figures per table row (notebook, or (notebook, model prefix)): (what, figure, source).
REFERENCES = {
    "knn": [
        ("official, k = 1", "test 0.274 (137 / 500)", "issue 3"),
        ("published best, k = 10", "test 0.282 (141 / 500)", "issue 3"),
        ("floor asserted", "test ≥ 0.28", "issue 3"),
    ],
    "svm": [
        ("floor asserted", "val ≥ 0.39, test ≥ 0.38", "issue 4"),
        ("scikit-learn SGDClassifier (hinge), standardised pixels", "val 0.400, test 0.386", "issue 4"),
        ("our goal", "val 0.40, test 0.39", "issue 4"),
    ],
    "softmax": [
        ("floor asserted", "val ≥ 0.40, test ≥ 0.39", "issue 4"),
        ("published", "val 0.398–0.405, test 0.384–0.398", "issue 4"),
    ],
    "two_layer_net": [
        ("official default run (H = 50, 1000 iterations)", "val ≈ 0.29", "issue 5"),
        ("floor asserted", "val ≥ 0.52, test ≥ 0.52", "issue 5"),
        ("published", "val 0.52–0.54, test 0.517–0.532", "issue 5"),
        ("our goal", "test ≥ 0.54", "issue 5"),
    ],
    ("features", "svm"): [
        ("floor asserted", "val ≥ 0.48, test ≥ 0.47", "issue 6"),
        ("published", "val ≈ 0.50, test 0.475–0.497", "issue 6"),
        ("our goal", "test ≥ 0.50", "issue 6"),
    ],
    ("features", "nn"): [
        ("floor asserted", "test ≥ 0.58", "issue 6"),
        ("published", "test 0.579–0.592", "issue 6"),
        ("our goal", "test ≥ 0.60", "issue 6"),
    ],
}
REFERENCES[("features", "net")] = REFERENCES[("features", "nn")]
# A features notebook that records one plain val_acc/test_acc pair gets both references.
REFERENCES["features"] = [(f"{MODEL_NAMES[m]}: {what}", fig, src)
                          for m in ("svm", "nn") for what, fig, src in REFERENCES[("features", m)]]
SOURCES = ("Reference figures: the official CS231n Assignment 1 notebooks and published solutions, as quoted in "
           "this project's issues 3–6 (the issue is named in each cell). Run time: the sum of the cells' "
           "execution times, from the timestamps nbconvert stores in the executed notebook (machine and load "
           "of that run).")


# The words of the table in each README's language. Figures, configurations and issue numbers stay as recorded.
WORDS = {
    "en": {
        "header": "| Notebook | Validation accuracy | Test accuracy | Reference figures | Run time |",
        "titles": {part.name: part.title for part in parts.PARTS},
        "models": {"linear SVM": "linear SVM", "two-layer net": "two-layer net", "softmax": "softmax"},
        "not written": "not written yet", "not executed": "not executed (no recorded results)",
        "cross-validation": " (cross-validation)", "extraction": "feature extraction {:.1f} s",
        "seconds": "{} s", "minutes": "{} min {:02d} s", "sources": SOURCES, "phrases": {},
    },
    "zh-CN": {
        "header": "| 笔记本 | 验证准确率 | 测试准确率 | 参考数据 | 运行时间 |",
        "titles": {"knn": "k 近邻", "svm": "线性 SVM", "softmax": "Softmax 分类器", "two_layer_net": "两层神经网络",
                   "features": "HOG + 色调直方图特征"},
        "models": {"linear SVM": "线性 SVM", "two-layer net": "两层网络", "softmax": "Softmax"},
        "not written": "尚未编写", "not executed": "尚未执行（没有记录的结果）",
        "cross-validation": "（交叉验证）", "extraction": "特征提取 {:.1f} 秒",
        "seconds": "{} 秒", "minutes": "{} 分 {:02d} 秒",
        "sources": ("参考数据：CS231n 作业 1 的官方笔记本与已发表的解答，引自本项目的 issue 3–6（每格注明出处）。"
                    "运行时间：各单元格执行时间之和，取自 nbconvert 在执行后的笔记本中保存的时间戳"
                    "（与当次运行的机器和负载有关）。"),
        # Reference labels and figures, phrase by phrase (longest first, so no phrase is cut by a shorter one).
        "phrases": {
            "scikit-learn SGDClassifier (hinge), standardised pixels":
                "scikit-learn SGDClassifier（hinge），标准化像素",
            "official default run (H = 50, 1000 iterations)": "官方默认运行（H = 50，1000 次迭代）",
            "published best, k = 10": "已发表的最佳结果，k = 10", "official, k = 1": "官方，k = 1",
            "floor asserted": "断言的下限", "our goal": "我们的目标", "published": "已发表的结果",
            "issue ": "issue ", "test ": "测试 ", "val ": "验证 ",
        },
    },
}


def language_of(readme):
    """'README.zh-CN.md' -> 'zh-CN'; any other README is English."""
    name = Path(readme).name
    return name[len("README."):-len(".md")] if name.startswith("README.") and name.count(".") == 2 else "en"


def _say(text, lang):
    """Reference text in the table's language, phrase by phrase."""
    for phrase, said in sorted(WORDS[lang]["phrases"].items(), key=lambda kv: -len(kv[0])):
        text = text.replace(phrase, said)
    return text


class ResultsError(ValueError):
    """A notebook or README that the table cannot be built from."""


def _parse_time(stamp):
    """ISO 8601 timestamp as nbclient writes it ('2026-11-26T06:20:01.123456Z') -> aware datetime."""
    if stamp.endswith("Z"):
        stamp = stamp[:-1] + "+00:00"  # Python 3.10's fromisoformat does not read 'Z'
    return datetime.fromisoformat(stamp)


def read_notebook(path):
    """Read the recorded figures and the run time of one executed notebook.

    Inputs:
    - path: a .ipynb file.

    Returns a dict {"figures": dict or None, "run_time": seconds as float, or None}: figures is the payload of
    the LAST output carrying RESULTS_MIME (None when the notebook holds none, e.g. it was never executed);
    run_time is the sum of the cells' execution times (busy -> reply), None when no cell carries timestamps.
    """
    import nbformat

    path = Path(path)
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as err:  # nbformat raises several unrelated types for unreadable files
        raise ResultsError(f"{path}: not a readable notebook ({err})") from err

    figures, run_time = None, None
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if RESULTS_MIME in data:
                figures = data[RESULTS_MIME]
                if isinstance(figures, str):  # some writers store JSON MIME bundles as text
                    figures = json.loads(figures)
        timing = cell.metadata.get("execution", {})
        if "iopub.status.busy" in timing and "shell.execute_reply" in timing:
            seconds = (_parse_time(timing["shell.execute_reply"]) - _parse_time(timing["iopub.status.busy"]))
            run_time = (run_time or 0.0) + seconds.total_seconds()

    if figures is not None:
        if not isinstance(figures, dict):
            raise ResultsError(f"{path}: the {RESULTS_MIME} output is {type(figures).__name__}, expected a JSON "
                               "object; record it with cs231n.results.record_results(...)")
        if figures.get("notebook") != path.stem:
            raise ResultsError(f"{path}: record_results was called with notebook={figures.get('notebook')!r}, "
                               f"expected {path.stem!r} (the file name); fix the call in the last cell")
    return {"figures": figures, "run_time": run_time}


def _accuracy(value):
    """A recorded accuracy as text: 0.28200 -> '0.282'; missing -> '—'."""
    if value is None:
        return "—"
    if not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
        raise ResultsError(f"accuracies must be fractions in [0, 1], got {value!r}")
    return f"{value:.3f}"


def _plain(value):
    """A figure as short text: floats to 4 significant digits."""
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def _duration(seconds, lang="en"):
    """Seconds -> '47 s' or '2 min 05 s' (in the table's language); None -> '—'."""
    if seconds is None:
        return "—"
    seconds = round(seconds)
    words = WORDS[lang]
    return words["seconds"].format(seconds) if seconds < 60 else words["minutes"].format(seconds // 60, seconds % 60)


def _references(key, lang="en"):
    """The reference figures of one row as Markdown; the source is named once when all entries share it."""
    entries = REFERENCES.get(key, [])
    sources = {source for _, _, source in entries}
    if len(sources) == 1:
        text = "<br>".join(f"{what}: {figure}" for what, figure, _ in entries) + f" ({sources.pop()})"
    else:
        text = "<br>".join(f"{what}: {figure} ({source})" for what, figure, source in entries)
    return _say(text, lang)


def _model_prefixes(figures):
    """Prefixes p with p_val_acc or p_test_acc in the figures (e.g. 'svm', 'nn'), in recorded order."""
    prefixes = []
    for name in figures:
        for suffix in ("_val_acc", "_test_acc"):
            if name.endswith(suffix) and name[: -len(suffix)] not in prefixes:
                prefixes.append(name[: -len(suffix)])
    return prefixes


def table_rows(name, info, lang="en"):
    """Markdown rows for one notebook.

    Inputs:
    - name: short notebook name, e.g. "knn".
    - info: read_notebook's dict, or None when notebooks/<name>.ipynb does not exist.
    - lang: the language of the words ("en" or "zh-CN").

    Returns a list of row strings (one per model recorded in the notebook).
    """
    words = WORDS[lang]
    link = f"[{name}](notebooks/{name}.ipynb)"
    if info is None:
        return [f"| {link} | — | — | {_references(name, lang)} | {words['not written']} |"]
    figures, run_time = info["figures"], _duration(info["run_time"], lang)
    if figures is None:
        return [f"| {link} | — | — | {_references(name, lang)} | {words['not executed']} |"]

    prefixes = _model_prefixes(figures)
    models = [(None, "")] if "val_acc" in figures or "test_acc" in figures else []
    models += [(p, f"{p}_") for p in prefixes]
    if not models:
        raise ResultsError(f"notebooks/{name}.ipynb records no accuracies (got {sorted(figures)}); pass val_acc= "
                           "and/or test_acc= to record_results")
    rows = []
    for prefix, key in models:
        if prefix is None:
            # Beside prefixed models, the plain figures belong to the notebook's first model (PLAIN_MODEL).
            model = PLAIN_MODEL.get(name) if prefixes else None
            details = [words["models"][MODEL_NAMES[model]]] if model else []
            details += [_detail(k, figures[k], lang) for k in figures
                        if k not in NOT_DETAILS and not any(k.startswith(f"{p}_") for p in prefixes)]
            details += [str(figures["config"])] if "config" in figures else []
            ref_key = (name, model) if model else name
        else:
            details = [words["models"].get(MODEL_NAMES.get(prefix, prefix), prefix)]
            details += [str(figures[key + "config"])] if key + "config" in figures else []
            ref_key = (name, prefix)
        val = _accuracy(figures.get(key + "val_acc"))
        if prefix is None and "val_acc" not in figures and "cv_acc" in figures:
            val = f"{_accuracy(figures['cv_acc'])}{words['cross-validation']}"
        cell = f"{link}<br>{words['titles'].get(name, name)}" + "".join(f"<br>{d}" for d in details)
        rows.append(f"| {cell} | {val} | {_accuracy(figures.get(key + 'test_acc'))} | {_references(ref_key, lang)} "
                    f"| {run_time} |")
    return rows


def _detail(key, value, lang):
    if key == "extract_seconds":
        return WORDS[lang]["extraction"].format(value)
    return DETAIL_FORMATS[key].format(value) if key in DETAIL_FORMATS else f"{key} = {_plain(value)}"


def build_table(notebook_dir, lang="en"):
    """The whole Markdown block (without the markers) for the notebooks in notebook_dir, in language lang."""
    notebook_dir = Path(notebook_dir)
    lines = [WORDS[lang]["header"], "|---|---|---|---|---|"]
    for name in NOTEBOOKS:
        path = notebook_dir / f"{name}.ipynb"
        lines += table_rows(name, read_notebook(path) if path.exists() else None, lang)
    return "\n".join(lines + ["", WORDS[lang]["sources"]])


def split_readme(text):
    """Split README text around the markers: returns (before incl. start marker, block, end marker and after)."""
    if text.count(START_MARKER) != 1 or text.count(END_MARKER) != 1:
        raise ResultsError(f"the README must contain {START_MARKER!r} and {END_MARKER!r} exactly once each "
                           f"(found {text.count(START_MARKER)} and {text.count(END_MARKER)})")
    start = text.index(START_MARKER) + len(START_MARKER)
    end = text.index(END_MARKER)
    if end < start:
        raise ResultsError(f"{END_MARKER!r} comes before {START_MARKER!r} in the README; swap them")
    return text[:start], text[start:end], text[end:]


def render_readme(text, table):
    """README text with the block between the markers replaced by table."""
    before, _, after = split_readme(text)
    return f"{before}\n{table}\n{after}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--write", metavar="README", nargs="*", help="rewrite the results block in these files "
                        "(default: the READMEs of the project)")
    action.add_argument("--check", metavar="README", nargs="*", help="exit 1 if a file's results block is stale")
    parser.add_argument("--notebooks", default=str(ROOT / "notebooks"), help="folder of executed notebooks")
    args = parser.parse_args(argv)

    if args.write is None and args.check is None:
        try:
            print(build_table(args.notebooks))
        except ResultsError as err:
            print(f"results_table: {err}", file=sys.stderr)
            return 2
        return 0
    readmes = [Path(p) for p in (args.write if args.write is not None else args.check)] or \
        [ROOT / name for name in READMES if (ROOT / name).exists()]
    stale = []
    for readme in readmes:
        try:
            text = readme.read_text(encoding="utf-8")
            new_text = render_readme(text, build_table(args.notebooks, language_of(readme)))
        except (ResultsError, OSError) as err:
            print(f"results_table: {readme}: {err}", file=sys.stderr)
            return 2
        if args.write is not None:
            if new_text != text:
                readme.write_text(new_text, encoding="utf-8")
            print(f"results_table: {readme} {'updated' if new_text != text else 'already up to date'}")
        elif new_text != text:
            stale.append(readme)
    for readme in stale:
        print(f"results_table: the results table in {readme} is stale; run `make results` (or "
              f"`python instructor/results_table.py --write {readme}`) and commit it", file=sys.stderr)
    if args.check is not None and not stale:
        print(f"results_table: {', '.join(map(str, readmes))} up to date")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
