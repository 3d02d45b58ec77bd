#!/usr/bin/env bash
# Set up a working environment on a fresh machine: system packages (when root), a virtualenv in
# .venv (or $VENV) with the CPU build of torch first, then the project with its dev tools.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"

# chromium renders the HTML report in tests; poppler-utils turns the PDF into images;
# postgresql-15 (a server without pgvector) backs one storage test. All optional for running.
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  missing=""
  command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
  command -v pdftoppm >/dev/null 2>&1 || missing="$missing poppler-utils"
  [ -x /usr/lib/postgresql/15/bin/postgres ] || missing="$missing postgresql-15"
  if [ -n "$missing" ]; then
    echo "setup: installing system packages:$missing"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null \
      || echo "setup: could not install$missing; tests that need them will skip"
  fi
fi

if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --upgrade pip
# torch first: the CPU build (a local file on the project's machines); otherwise pip pulls CUDA wheels.
"$VENV/bin/python" -m pip install -q "torch==2.13.0"
"$VENV/bin/python" -m pip install -q -e ".[dev]"
echo "setup: ready in $VENV"
