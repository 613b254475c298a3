# Privacy Desk. `make run` installs, trains the assistant if needed and starts everything; `make test` checks it all.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install bench clean

run: $(STAMP)
	$(BIN)/privacy-desk run

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt scripts/find-python
	@PY=$$(scripts/find-python) && \
	  { [ -x $(BIN)/python ] || { echo "Creating $(VENV) with $$PY"; $$PY -m venv $(VENV); }; }
	@echo "Installing Privacy Desk and its dependencies (first time: a few minutes)"
	$(BIN)/pip install -q --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $@

test: $(STAMP)
	scripts/ensure-test-services
	$(BIN)/pip check
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) models results test-output
