#!/usr/bin/env bash
# Install everything the project needs into .venv, from the lock file, on a fresh Debian + Python 3.11.
# pip 23.2's resolver fails on trafilatura's lxml[html-clean] extra, so the install goes through uv
# (from PyPI), itself installed into a private bootstrap venv so the system Python is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
if ! command -v uv >/dev/null; then
  if [ ! -x .venv-bootstrap/bin/uv ]; then
    "$PY" -m venv .venv-bootstrap
    .venv-bootstrap/bin/python -m pip install --quiet --disable-pip-version-check "uv==0.13.9"
  fi
  export PATH="$PWD/.venv-bootstrap/bin:$PATH"
fi
# Trust the OS certificate store (corporate proxies, Debian ca-certificates) as pip does.
export UV_SYSTEM_CERTS=${UV_SYSTEM_CERTS:-true}
# Bytecode is compiled once here: with PYTHONDONTWRITEBYTECODE set (as some CI images do) every process
# would otherwise recompile Dagster, trafilatura and the rest at each import, seconds per pool worker.
uv sync --frozen --compile-bytecode --python "$PY" --quiet
echo "setup: .venv ready ($(.venv/bin/python --version))" >&2
