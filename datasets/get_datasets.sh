#!/usr/bin/env bash
# The official assignment's habit: `cd datasets && ./get_datasets.sh`. Everything happens in the CLI, which
# also works without bash:  python -m cs231n.datasets
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec "${PYTHON:-python3}" -m cs231n.datasets "$@"
