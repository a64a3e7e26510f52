# rasid — every install and every job goes through here.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO := demo
OUT := out

.PHONY: install run extract-demo test bench lint format clean train-ner system-deps

UI := src/rasid/api
UI_VENDOR := $(UI)/static/vendor/.installed

install: $(STAMP) $(UI_VENDOR)

# The web UI's third-party browser files (map shapes, d3-geo, uPlot), pinned by the committed
# package-lock.json, copied into the git-ignored static/vendor; served locally, no CDN.
$(UI_VENDOR): $(UI)/frontend/package.json $(UI)/frontend/package-lock.json $(UI)/frontend/build.mjs
	cd $(UI)/frontend && npm ci --no-audit --no-fund --loglevel=error
	node $(UI)/frontend/build.mjs
	touch $@

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# The main job on the demo corpus that ships in the repo.
run: install extract-demo
	$(BIN)/rasid ingest $(DEMO) --db rasid.db
	$(BIN)/rasid serve --db rasid.db

extract-demo: install
	mkdir -p $(OUT)
	$(BIN)/rasid extract $(DEMO) --format jsonl > $(OUT)/records.jsonl
	@echo "wrote $$(wc -l < $(OUT)/records.jsonl) records to $(OUT)/records.jsonl"

# Debian's postgresql and chromium, when missing: the suite tests with a real server and browser.
system-deps:
	bash scripts/install-system-deps.sh

test: install system-deps
	$(BIN)/python -m pytest -q -n 2

bench: install
	$(BIN)/python bench/extraction.py
	$(BIN)/python bench/ner.py
	$(BIN)/python bench/quotes.py
	$(BIN)/python bench/events.py
	$(BIN)/python bench/geo.py
	$(BIN)/python bench/dates.py
	$(BIN)/python bench/dedup.py
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/postgres.py
	$(BIN)/python bench/ui.py

# Rebuild the entity model from ../shared: corpus text, word clusters, word vectors and word
# profiles (scripts/ner_clusters.py), the person-name words (scripts/ner_names.py, from
# arabnamer), the neural tagger and its held-out fold probabilities (torch, CPU), then the
# combination weight and decoding biases (5-fold over the train part) and the CRF, which
# prints the ANERcorp test score.
train-ner: install
	$(BIN)/python -m pip install --quiet -e ".[dev,train]"
	$(BIN)/python scripts/ner_clusters.py all
	$(BIN)/python scripts/ner_names.py
	$(BIN)/python scripts/train_ner_neural.py
	$(BIN)/python scripts/train_ner.py

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

clean:
	rm -rf $(OUT) build dist src/*.egg-info .pytest_cache .ruff_cache
