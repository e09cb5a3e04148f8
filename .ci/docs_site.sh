#!/usr/bin/env bash
# The documentation site, with warnings as errors: the guides in docs/, the
# API reference from the docstrings, and the example notebooks as CI's tests
# executed them (WAGER_NOTEBOOK_OUTPUT); run alone, the notebooks are executed
# here first, with a small path count. Needs: pip install ".[docs]".
set -euo pipefail
cd "$(dirname "$0")/.."
executed="${WAGER_NOTEBOOK_OUTPUT:-build/notebooks}"
if ! ls "$executed"/*.ipynb >/dev/null 2>&1; then
  WAGER_NOTEBOOK_OUTPUT="$executed" python -m pytest -q -p no:cacheprovider tests/test_notebooks.py
fi
rm -rf docs/notebooks
mkdir -p docs/notebooks
cp "$executed"/*.ipynb docs/notebooks/
trap 'rm -rf docs/notebooks' EXIT
python -m mkdocs build --strict
echo "site: build/site/index.html"
