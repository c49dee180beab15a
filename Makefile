# graphbuild — the two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     := out/demo.oxigraph

.PHONY: demo test install install-test lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e .

install-test: $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'

demo: install
	rm -rf $(DB)
	$(BIN)/graphbuild build examples/ --db $(DB)
	@echo; echo "== vendors =="; $(BIN)/graphbuild query vendors --db $(DB)
	@echo; echo "== retention =="; $(BIN)/graphbuild query retention --db $(DB)
	@echo; $(BIN)/graphbuild view --db $(DB) --out out/
	@echo; echo "Store: $(DB)   Views: out/index.html   Export: $(BIN)/graphbuild export --db $(DB) --format turtle"

test: install-test
	$(BIN)/python -m pytest -q

lint: install-test
	$(BIN)/ruff check graphbuild tests
	$(BIN)/mypy graphbuild

clean:
	rm -rf out $(VENV) *.egg-info
