# The two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help setup run test lint bench stress pot clean

help:
	@echo "make run    - set up, create/update the demo database, serve http://127.0.0.1:8069 (admin/admin)"
	@echo "make test   - set up, lint, build a fresh test database and run the whole suite"
	@echo "make lint   - flake8 + pylint-odoo (OCA 11.0 checks)"
	@echo "make bench  - benchmarks against Odoo core and OCA (BENCH_SCALE=small|large)"
	@echo "make stress - full load, fault and bad-input tests against a live server"
	@echo "make pot    - regenerate i18n/cartera_seguimiento.pot from a live database"

setup:
	@bash scripts/setup.sh

run: setup
	@bash scripts/run.sh

lint: setup
	@bash scripts/lint.sh

test: setup
	@bash scripts/test.sh

bench: setup
	@bash scripts/bench.sh

stress: setup
	@STRESS=full bash scripts/test.sh tests/test_stress*.py

pot: setup
	@bash scripts/pot.sh

clean:
	rm -rf .venv .venv-browser .node .stamps .run test-output
