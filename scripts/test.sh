#!/usr/bin/env bash
# The test suite: set up (idempotent), lint, then pytest. `.ci/run` calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check pipelines assets tests bench
.venv/bin/python -m pytest -q "$@"
