# mlpivot — `make run` starts the product, `make test` runs every check. Both set themselves up.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
PYTEST_ARGS ?=

.PHONY: setup run test test-fast lint typecheck fmt bench mutate clean data data-check rebuild-check

$(UV):
	python3 -m pip install --user --quiet "uv>=0.5"

# Bytecode is compiled here, once: where PYTHONDONTWRITEBYTECODE is set, Python would otherwise
# compile SQLAlchemy, pydantic and our own modules from source in every command and test process.
setup: $(UV)
	$(UV) sync --locked --quiet --compile-bytecode
	$(UV) run --locked --quiet python -m compileall -q src/mlpivot >/dev/null

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

# The public data the figures and models are built from, from each publisher at a pinned
# version, checked against scripts/data_manifest.json (into $MLPIVOT_SHARED_DATA or ../shared/data).
data: setup
	$(UV) run python scripts/fetch_data.py

data-check: setup
	$(UV) run python scripts/fetch_data.py --check

# Rebuild the figures and retrain the models into a temporary folder and compare (minutes).
rebuild-check: setup
	$(UV) run python scripts/check_rebuild.py

bench: setup
	$(UV) run python bench/planner.py
	$(UV) run python bench/extraction.py
	$(UV) run python bench/postings.py
	$(UV) run python bench/cli.py
	$(UV) run python bench/web.py
	$(UV) run python bench/web_security.py
	$(UV) run python bench/resumes.py --quiet
	$(UV) run python bench/grading.py

# Mutation testing of src/mlpivot/engine/ with the unit and content tests: a score per module.
# Slow (minutes per module), so it is not part of `make test`. MODULES="fit gap" narrows it.
mutate: setup
	$(UV) run python bench/mutate.py $(MODULES)

fmt: setup
	$(UV) run ruff format src tests bench scripts
	$(UV) run ruff check --fix src tests bench scripts

clean:
	rm -rf .venv .mypy_cache .ruff_cache .pytest_cache .hypothesis mutants
