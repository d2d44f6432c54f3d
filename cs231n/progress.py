"""Progress bars that read right both live and in a saved notebook.

`progress(...)` takes tqdm's arguments (an iterable, total=, desc=, unit=, disable=, ...) and returns a tqdm bar.

- In a terminal it is tqdm's usual text bar on stderr.
- In a Jupyter kernel it is a single output that is redrawn in place while the work runs (an HTML bar with the
  text beside it), and that is replaced by the finished line in plain text when the bar closes. A notebook saved
  afterwards therefore stores "grid: 100%|##########| 9/9 [01:12<00:00, 8.0s/it]" as its output, which every
  viewer shows the same way (JupyterLab, GitHub, nbconvert to HTML or Markdown, a terminal) -- unlike tqdm's
  notebook widget, whose stored text is the bar as it was drawn at the start ("0%|").
"""

import html
import io
import sys

from tqdm.std import tqdm


def _in_kernel():
    """True inside a Jupyter kernel (where outputs are displays), False in a terminal or a plain script."""
    shell = sys.modules.get("IPython") and sys.modules["IPython"].get_ipython()
    return shell is not None and hasattr(shell, "kernel")


class _KernelBar(tqdm):
    """A tqdm bar whose every redraw updates one IPython display; the last one leaves plain text behind."""

    def __init__(self, *args, **kwargs):
        from IPython.display import display

        self._handle = None
        # tqdm insists on a file to write to; the display below is what shows, so the text goes nowhere.
        kwargs["file"] = io.StringIO()
        kwargs.setdefault("ascii", True)  # "#" blocks render the same in every font and viewer
        super().__init__(*args, **kwargs)
        if not self.disable:
            self._handle = display({"text/plain": str(self)}, raw=True, display_id=True)

    def display(self, msg=None, pos=None):
        if self._handle is not None:
            text = str(self) if msg is None else msg
            fraction = self.n / self.total if self.total else 0.0
            bar = (f'<progress value="{fraction:.4f}" max="1" style="width: 20em"></progress> '
                   f"<code>{html.escape(text)}</code>")
            self._handle.update({"text/plain": text, "text/html": bar}, raw=True)
        return True

    def close(self):
        handle = None if self.disable else self._handle
        super().close()
        if handle is not None:
            handle.update({"text/plain": str(self)}, raw=True)


def progress(*args, **kwargs):
    """A tqdm progress bar (same arguments as tqdm): live and in place in a notebook, on stderr elsewhere."""
    if _in_kernel():
        return _KernelBar(*args, **kwargs)
    kwargs.setdefault("file", sys.stderr)
    return tqdm(*args, **kwargs)
