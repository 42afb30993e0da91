#!/usr/bin/env bash
# The test suite: set up (idempotent), lint, then pytest. `.ci/run` calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Services some tests need (installed by the project, idempotent): pywb in its own venv, Debian chromium.
for s in pywb chromium; do [ ! -f "scripts/$s.sh" ] || bash "scripts/$s.sh"; done
.venv/bin/ruff check pipelines assets tests bench
.venv/bin/python -m pytest -q "$@"
