# Privacy Desk. `make run` installs, trains the assistant if needed and starts everything; `make test` checks it all.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# endpoints.yml names the action server's port through this setting.
export PRIVACY_DESK_ACTIONS_PORT ?= 5055
WIDGET := web/static/vendor/socket.io.min.js
# The assistant's model is retrained whenever what it is trained from changes (or there is none).
MODEL := models/privacy-desk.tar.gz
MODEL_INPUTS := config.yml domain.yml $(wildcard data/*.yml data/*/*.yml) assistant/intent_model.py \
	assistant/intent_classifier.py assistant/sentence_encoder.py constraints.txt

.PHONY: run test install bench clean web model test-assistant

run: $(STAMP) $(WIDGET) $(MODEL)
	$(BIN)/privacy-desk run

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt scripts/find-python
	@PY=$$(scripts/find-python) && \
	  { [ -x $(BIN)/python ] || { echo "Creating $(VENV) with $$PY"; $$PY -m venv $(VENV); }; }
	@echo "Installing Privacy Desk and its dependencies (first time: a few minutes)"
	$(BIN)/pip install -q --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $@

test: $(STAMP) $(WIDGET)
	scripts/ensure-test-services
	$(BIN)/pip check
	$(MAKE) --no-print-directory test-assistant
	$(BIN)/python -m pytest -q

model: $(MODEL)

$(MODEL): $(MODEL_INPUTS) | $(STAMP)
	@echo "Training the assistant (about three minutes)"
	RASA_TELEMETRY_ENABLED=false $(BIN)/rasa train --fixed-model-name privacy-desk --out models
	@touch $@

# The training data is consistent, and every test conversation (tests/test_*.yml) goes exactly as written.
test-assistant: $(STAMP)
	RASA_TELEMETRY_ENABLED=false $(BIN)/rasa data validate
	$(MAKE) --no-print-directory model
	RASA_TELEMETRY_ENABLED=false $(BIN)/rasa test core --stories tests/ --model $(MODEL) \
	  --fail-on-prediction-errors --out results

# The website widget's socket.io client, from the committed npm lock file: fetched once here, never at run time.
web: $(WIDGET)

$(WIDGET): web/package.json web/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "The website chat widget is built with npm: install Node.js 18 or newer (e.g. apt-get install nodejs npm)."; exit 1; }
	cd web && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && npm run --silent build

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) models results test-output web/node_modules web/static/vendor
