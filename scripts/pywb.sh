#!/usr/bin/env bash
# Install pywb (the local Wayback server the tests and benchmarks replay generated WARCs with) into its own
# venv, .venv-pywb: its pins clash with the main environment. Idempotent: a working install returns at once.
set -euo pipefail
cd "$(dirname "$0")/.."
PYWB_VERSION=2.10.0
if [ -x .venv-pywb/bin/wayback ] && .venv-pywb/bin/python -c "import pywb, sys; sys.exit(pywb.__version__ != '$PYWB_VERSION')" 2>/dev/null; then
  exit 0
fi
if ! command -v uv >/dev/null; then
  export PATH="$PWD/.venv-bootstrap/bin:$PATH"   # scripts/setup.sh puts uv there when it is not installed
fi
rm -rf .venv-pywb
uv venv --quiet -p 3.11 .venv-pywb
VIRTUAL_ENV=.venv-pywb uv pip install --quiet "pywb==$PYWB_VERSION"
echo "pywb: .venv-pywb ready (pywb $PYWB_VERSION)" >&2
