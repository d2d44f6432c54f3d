"""`python tools/check.py [PART ...]`: the self-check, the same as `python -m cs231n.check` (see cs231n/check.py)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # works without `pip install -e .` too

from cs231n.check import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
