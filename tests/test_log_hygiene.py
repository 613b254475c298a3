"""The log check of the end-to-end suites (tests/support/log_hygiene.py) finds what it is there to find, and
leaves alone what logs may say: case references, Privacy Desk's own addresses, ports and counts."""
from __future__ import annotations

import logging

import pytest

from bot import cases, verification
from bot.requests import Channel, RequestType
from tests.support.log_hygiene import LogWatch, personal_data_in

log = logging.getLogger("privacy_desk.test")


@pytest.mark.parametrize("line", ["reply queued for jane.doe@example.org", "calling +44 7700 900123 back",
                                  "number +447700900123 confirmed", "From: Jean <j.dupont@mail.example.fr>"])
def test_an_address_or_a_phone_number_is_found(line):
    assert personal_data_in(f"INFO {line}") == [f"INFO {line}"]


@pytest.mark.parametrize("line", ["case PD-7K3M-Q9TX: email 12 sent (attempt 1)", "listening on 127.0.0.1:5005",
                                  "letter at UID 4711 stored", "queued for dpo@company.example",
                                  "2026-11-23 12:00:00+00:00 digest queued: 3 due_soon"])
def test_what_logs_may_say_is_left_alone(line, monkeypatch):
    monkeypatch.setenv("PRIVACY_DESK_DPO_EMAIL", "dpo@company.example")
    assert personal_data_in(line) == []


def test_a_code_issued_during_the_test_is_found_in_a_log_record_or_a_server_file(session, monkeypatch, tmp_path):
    monkeypatch.setenv("PRIVACY_DESK_SECRET_KEY", "log-hygiene-secret-" + "x" * 32)
    server_output = tmp_path / "server.log"
    with LogWatch(monkeypatch) as watch:
        watch.watch_file(server_output)
        case = cases.open_case(session, cases.NewRequest([RequestType.ERASURE], Channel.CHAT,
                                                         email="owner@example.org")).case
        verification.start(session, case)
        [code] = [c for c in watch.codes if c.isdigit()]
        assert watch.problems() == []
        log.info("case %s: code %s checked", case.reference, code)
        server_output.write_text(f"POST /verify/{next(c for c in watch.codes if not c.isdigit())}\n")
    assert len(watch.problems()) == 2
