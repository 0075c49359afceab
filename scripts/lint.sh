#!/usr/bin/env bash
# flake8 and pylint-odoo with the OCA 11.0 checks; fails on any error.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
echo "lint: flake8"
"$VENV/bin/flake8" cartera_seguimiento tests benchmarks scripts/*.py
echo "lint: pylint-odoo"
"$VENV/bin/pylint" --rcfile="$ROOT/.pylintrc" cartera_seguimiento
echo "lint: README.rst generated from readme/ (make readme)"
"$VENV/bin/python" "$ROOT/scripts/gen_readme.py" --check
echo "lint: Spanish translation complete"
"$VENV/bin/python" "$ROOT/scripts/fill_po.py" --check
echo "lint: ok"
