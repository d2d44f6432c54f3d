"""Project-wide pytest configuration.

nbval compares the stored outputs of every notebook cell with a fresh run. Warnings and progress bars go to
stderr and vary between machines, so stderr is never compared; everything else follows
tests/nbval_sanitize.cfg and the per-cell `nbval-ignore-output` tags.
"""


def pytest_collectstart(collector):
    if type(collector).__name__ == "IPyNbFile":
        collector.skip_compare = (*collector.skip_compare, "stderr")
