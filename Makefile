# rasid — every install and every job goes through here.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO := demo
OUT := out

.PHONY: install run extract-demo test bench lint format clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# The main job on the demo corpus that ships in the repo.
run: install extract-demo

extract-demo: install
	mkdir -p $(OUT)
	$(BIN)/rasid extract $(DEMO) --format jsonl > $(OUT)/records.jsonl
	@echo "wrote $$(wc -l < $(OUT)/records.jsonl) records to $(OUT)/records.jsonl"

test: install
	$(BIN)/python -m pytest -q -n 2

bench: install
	$(BIN)/python bench/extraction.py

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

clean:
	rm -rf $(OUT) build dist src/*.egg-info .pytest_cache .ruff_cache
