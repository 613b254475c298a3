"""Checking the action server's answers with a validator built once, instead of once per answer.

Rasa checks every answer of the action server (each form validation, each custom action) against one JSON
schema with `jsonschema.validate()`, which first checks the schema itself against the JSON Schema
meta-schema, on every call. Profiled under `bench/chat_bench.py`, that was half of the Rasa server's CPU time.
The schema never changes, so here it is checked once and its validator kept; answers are judged exactly as
before: the same schema, the same error (jsonschema's best match) and Rasa's own wording of it.
`install()` is called by `python -m assistant.rasa_server` before Rasa starts.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, Text

from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def _validator():
    schema = RemoteAction.action_response_format_spec()
    kind = validator_for(schema)
    kind.check_schema(schema)
    return kind(schema)


def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    error = best_match(_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (f". Failed to validate Action server response from API, make sure your response from the "
                      f"Action endpoint is valid. For more information about the format visit "
                      f"{DOCS_BASE_URL}/custom-actions")
    raise error


def install() -> None:
    RemoteAction._validate_action_result = _validate_action_result
