#!/usr/bin/env bash
# No C++ function longer than 120 lines in the core, its public headers and
# the bindings (issue 12): lizard warns on each and exits nonzero if any.
# Only the length is checked (the complexity and argument limits are set out of reach).
set -euo pipefail
cd "$(dirname "$0")/.."
python -m lizard --version >/dev/null 2>&1 || python -m pip install --quiet lizard
python -m lizard -L 120 -C 100000 -a 100 -w cpp/src cpp/include cpp/bindings
echo "cpp_function_length: every function in cpp/src, cpp/include and cpp/bindings is at most 120 lines"
