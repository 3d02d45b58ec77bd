#!/usr/bin/env bash
# The test command: lint, types, then the test suite with coverage (offline, embedded PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
"$VENV/bin/ruff" check observatory observatory_tests benchmarks
"$VENV/bin/mypy" observatory
"$VENV/bin/python" -m pytest --cov=observatory --cov-report=term:skip-covered --cov-fail-under=80 "$@"
