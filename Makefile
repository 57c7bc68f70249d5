# mlpivot — `make run` starts the product, `make test` runs every check. Both set themselves up.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
PYTEST_ARGS ?=

.PHONY: setup run test test-fast lint typecheck fmt bench clean

$(UV):
	python3 -m pip install --user --quiet "uv>=0.5"

setup: $(UV)
	$(UV) sync --locked --quiet

run: setup
	$(UV) run mlpivot serve

lint: setup
	$(UV) run ruff check src tests bench scripts
	$(UV) run ruff format --check src tests bench scripts
	$(UV) run lint-imports

typecheck: setup
	$(UV) run mypy src

# The whole suite: lint, types, layers, then unit, content, integration (SQLite and a real
# PostgreSQL) and end-to-end (CLI and headless Chromium). scripts/test-services.sh installs
# and starts what it can (PostgreSQL, Chromium) and tells pytest where they are.
test: lint typecheck
	bash scripts/test-services.sh $(UV) run pytest -n 2 $(PYTEST_ARGS) tests

# The inner loop: unit + content tests only, a few seconds.
test-fast: setup
	$(UV) run pytest -q tests/unit tests/content

bench: setup
	$(UV) run python bench/planner.py
	$(UV) run python bench/extraction.py
	$(UV) run python bench/postings.py
	$(UV) run python bench/cli.py
	$(UV) run python bench/web.py

fmt: setup
	$(UV) run ruff format src tests bench scripts
	$(UV) run ruff check --fix src tests bench scripts

clean:
	rm -rf .venv .mypy_cache .ruff_cache .pytest_cache .hypothesis
