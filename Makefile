# graphbuild — the two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO   := out/demo
DB     := $(DEMO)/graph.oxigraph

.PHONY: demo test install install-test lint eval clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Bytecode compiled once here: with PYTHONDONTWRITEBYTECODE set, every start (and every build worker) would
# otherwise compile the sources again, 70 ms each.
install: $(BIN)/python
	$(BIN)/pip install -q -e .
	$(BIN)/python -m compileall -q graphbuild

install-test: $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	$(BIN)/python -m compileall -q graphbuild

# The demo keeps its own store and views under out/demo/, apart from the user's out/graph.oxigraph.
demo: install
	rm -rf $(DB)
	$(BIN)/graphbuild build examples/ --db $(DB)
	@echo; echo "== vendors =="; $(BIN)/graphbuild query vendors --db $(DB)
	@echo; echo "== retention =="; $(BIN)/graphbuild query retention --db $(DB)
	@echo; $(BIN)/graphbuild view --db $(DB) --out $(DEMO)/views > /dev/null
	@echo; echo "Store: $(DB)   Views: $(DEMO)/views/index.html   Export: $(BIN)/graphbuild export --db $(DB) --format turtle"

test: install-test
	@scripts/need-chromium
	$(BIN)/python -m pytest -q

# Development-set gate: the scorer over the 26 real documents beside this checkout, at the quality the
# product promises (README, "How good is it"); floors only ever go up.
SHARED     ?= ../shared
EVAL_FLOORS = --min-company 0.96 --min-vendor-recall 0.95 --min-vendor-precision 0.95 --min-retention-f1 0.90 \
              --min-country-f1 0.93 --min-flow-f1 0.75 --min-retention-data-f1 0.70

eval: install
	@test -f $(SHARED)/eval/score.py || { echo "eval: $(SHARED)/eval/score.py not found (set SHARED=path/to/shared)"; exit 2; }
	$(BIN)/python $(SHARED)/eval/score.py --gold $(SHARED)/eval/gold --docs $(SHARED)/policies $(SHARED)/corpus $(EVAL_FLOORS)

lint: install-test
	$(BIN)/ruff check graphbuild tests
	$(BIN)/mypy graphbuild

clean:
	rm -rf out $(VENV) *.egg-info
