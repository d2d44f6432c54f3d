#!/usr/bin/env bash
# The official assignment's habit: `cd datasets && ./get_datasets.sh`. Everything happens in the CLI, which
# also works without bash:  python -m cs231n.datasets
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# Prefer the project's environment (made by `make setup`): the system python may lack numpy and pooch.
if [ -n "${PYTHON:-}" ]; then py="$PYTHON"; elif [ -x .venv/bin/python ]; then py=.venv/bin/python; else py=python3; fi
exec "$py" -m cs231n.datasets "$@"
