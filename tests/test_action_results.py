"""The action server's answers are judged by the validator built once exactly as Rasa's own check judges them."""
from __future__ import annotations

import pytest

pytest.importorskip("rasa")

from jsonschema import ValidationError  # noqa: E402
from rasa.core.actions.action import RemoteAction  # noqa: E402

from rasa.utils.endpoints import EndpointConfig  # noqa: E402

from assistant import action_results  # noqa: E402

ACTION = RemoteAction("validate_request_form", EndpointConfig("http://127.0.0.1:9/webhook"))

ANSWERS = [
    {"events": [{"event": "slot", "name": "phone", "value": "+447700900123"}], "responses": [{"text": "Thanks"}]},
    {"events": [], "responses": []},
    {"events": [{"event": "active_loop", "name": None}, {"event": "followup", "name": "action_listen"}]},
    {"events": [{"event": "slot", "name": "phone"}]},  # no value
    {"events": [{"event": "no_such_event"}]},
    {"events": "not a list"},
    {"responses": [{"text": "hi"}, "not an object"]},
]


def verdict(check, answer) -> str:
    try:
        return "valid" if check(ACTION, answer) else "invalid"
    except ValidationError as error:
        return error.message


@pytest.mark.parametrize("answer", ANSWERS)
def test_an_answer_gets_the_same_verdict_and_message_as_from_rasa(answer):
    rasa_own = RemoteAction._validate_action_result
    assert verdict(action_results._validate_action_result, answer) == verdict(rasa_own, answer)


def test_the_check_is_installed_on_rasas_remote_actions(monkeypatch):
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)
    action_results.install()
    assert RemoteAction._validate_action_result is action_results._validate_action_result
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        ACTION._validate_action_result({"events": "not a list"})
