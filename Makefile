# The two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help setup run test test-plain lint bench bench-record stress pot readme screenshots clean

help:
	@echo "make run    - set up, create/update the demo database, serve http://127.0.0.1:8069 (admin/admin)"
	@echo "make test   - set up, lint, build a fresh test database and run the whole suite"
	@echo "make test-plain - the addon's tests through Odoo's runner on a fresh plain database"
	@echo "              (account + l10n_generic_coa, English; with and without the addon's demo)"
	@echo "make lint   - flake8 + pylint-odoo (OCA 11.0 checks)"
	@echo "make bench  - benchmarks against Odoo core and OCA (BENCH_SCALE=small|large),"
	@echo "              results in benchmarks/results/local/ (not tracked)"
	@echo "make bench-record - copy the last bench results to benchmarks/results/"
	@echo "make stress - full load, fault and bad-input tests against a live server"
	@echo "make pot    - regenerate i18n/cartera_seguimiento.pot from a live database"
	@echo "make readme - regenerate cartera_seguimiento/README.rst from its readme/ fragments"
	@echo "make screenshots - rerun the live tests that take the README images and copy them"

setup:
	@bash scripts/setup.sh

run: setup
	@bash scripts/run.sh

lint: setup
	@bash scripts/lint.sh

test: setup
	@bash scripts/test.sh

test-plain: setup
	@bash scripts/test_plain.sh

bench: setup
	@bash scripts/bench.sh

bench-record:
	@ls benchmarks/results/local/*.json >/dev/null 2>&1 \
		|| { echo "bench-record: nothing measured yet (make bench)"; exit 1; }
	@for f in benchmarks/results/local/*.json; do \
		cp "$$f" benchmarks/results/ && echo "bench-record: $$f -> benchmarks/results/"; \
	done

stress: setup
	@STRESS=full bash scripts/test.sh tests/test_stress*.py

pot: setup
	@bash scripts/pot.sh

readme: setup
	@.venv/bin/python scripts/gen_readme.py

screenshots: setup
	@bash scripts/screenshots.sh

clean:
	rm -rf .venv .venv-browser .node .stamps .run test-output setup/*/build setup/*/*.egg-info
