"""Let a notebook publish its headline figures in a form tools can read back from the executed notebook.

`record_results("svm", val_acc=0.401, test_acc=0.389)` shows a one-line summary and stores the same figures as
JSON under RESULTS_MIME in the cell's output. instructor/results_table.py reads them (and the cells' execution
timestamps) to build the README's results table, so no figure there is ever typed by hand.
"""

RESULTS_MIME = "application/vnd.cs231n-a1.results+json"


def record_results(notebook, **figures):
    """Display and store a notebook's headline figures.

    Inputs:
    - notebook: the notebook's short name, e.g. "knn".
    - figures: name=value pairs; values must be JSON numbers or strings (accuracies as fractions in [0, 1]).

    Returns the dict that was stored.
    """
    from IPython.display import display

    payload = {"notebook": notebook, **figures}
    summary = ", ".join(f"{k} = {v:.4f}" if isinstance(v, float) else f"{k} = {v}" for k, v in figures.items())
    display({"text/plain": f"[{notebook}] {summary}", RESULTS_MIME: payload}, raw=True)
    return payload
