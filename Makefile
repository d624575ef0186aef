# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint demo samples bench bench-extraction bench-scale bench-load bench-export bench-catalogue bench-outputs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Build the index from archive/ and serve the viewer on http://$(HOST):$(PORT)/.
HOST ?= 127.0.0.1
PORT ?= 8000
run: install
	$(BIN)/isecg-archive reindex
	$(BIN)/isecg-archive serve --host $(HOST) --port $(PORT)

test: install lint
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check src tests demo bench
	$(BIN)/ruff format --check src tests demo bench
	$(BIN)/mypy

# Regenerate the demo collection in archive/ and the sample files in tests/files/.
demo: install
	$(BIN)/python demo/build.py

samples: install
	$(BIN)/python tests/make_samples.py
	$(BIN)/python tests/make_samples.py --office

bench: install
	$(BIN)/python bench/ingest_search.py
	$(BIN)/python bench/viewer.py

# The viewer under hostile requests and 32 clients, on 10,000 documents (cached in bench/.cache).
bench-load: install
	$(BIN)/python bench/load.py

# Exports in every format and a complete OAI-PMH harvest of the same 10,000 documents.
bench-export: install
	$(BIN)/python bench/export.py

# Every output read by software someone else wrote (biber, rispy, xmlschema, feedparser...),
# on the demo and on an archive of hostile metadata: entries and what the readers find wrong.
bench-outputs: install
	$(BIN)/python bench/outputs.py

# The catalogue exported and imported (every record changed) on a copy of them.
bench-catalogue: install
	$(BIN)/python bench/catalogue.py

# Extraction on real third-party files and web pages (needs ../shared/benchmarks beside the repo).
bench-extraction: install
	$(BIN)/python bench/main_content.py
	$(BIN)/python bench/files.py

# The archive at scale (issue 6): DOCUMENTS=10000 make bench-scale; sources cached in bench/.cache.
DOCUMENTS ?= 1000
bench-scale: install
	$(BIN)/python bench/scale.py --documents $(DOCUMENTS)

clean:
	rm -rf $(VENV) index .pytest_cache .mypy_cache .ruff_cache
