"""A stand-in for the trained Rasa server: a small HTTP server speaking Rasa's REST webhook protocol
(POST /webhooks/rest/webhook with {sender, message, metadata} -> [{recipient_id, text, buttons?}, ...]).

It answers in the language the metadata names, as the real assistant does, and can be switched "down"
(HTTP 503) to show that letters wait rather than get lost. It is not a model: it understands nothing.
Also a small keyword classifier standing in for assistant/classify.py in tests and the benchmark.
"""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ANSWERS = {
    "en": ("Thank you for your message about case {reference}.", "Is there anything else we can help with?"),
    "de": ("Vielen Dank für Ihre Nachricht zu Vorgang {reference}.", "Können wir Ihnen sonst noch helfen?"),
    "fr": ("Merci pour votre message concernant le dossier {reference}.", "Pouvons-nous vous aider pour autre chose ?"),
    "es": ("Gracias por su mensaje sobre el caso {reference}.", "¿Podemos ayudarle en algo más?"),
    "it": ("Grazie per il suo messaggio sulla pratica {reference}.", "Possiamo aiutarla in altro?"),
}
KEYWORDS = {
    "access": ("art. 15", "article 15", "artículo 15", "articolo 15", "auskunft", "copy of all personal data",
               "droit d'accès", "acceso a mis datos", "copie des données"),
    "erasure": ("art. 17", "article 17", "articolo 17", "effacer", "effacement", "löschen", "delete my",
                "cancellare", "supprimer"),
    "call_recording": ("recording of my call", "recording of the call", "grabación", "the call was"),
    "withdraw_consent": ("marketing",),
    "complaint": ("réclamation", "complaint", "beschwerde"),
}


def classify(text: str) -> list[str]:
    lowered = text.lower()
    return [kind for kind, words in KEYWORDS.items() if any(w in lowered for w in words)]


class StandInAgent:
    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self.down = False
        self.received: list[dict] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/webhooks/rest/webhook"

    def start(self) -> "StandInAgent":
        agent = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                if agent.down or self.path != "/webhooks/rest/webhook":
                    self.send_response(503 if agent.down else 404)
                    self.end_headers()
                    return
                time.sleep(agent.delay)
                with agent._lock:
                    agent.received.append(body)
                try:
                    self._answer(agent.answer(body))
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the poller was killed while waiting: what the tests that kill it expect

            def _answer(self, replies):
                data = json.dumps(replies).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_args):  # the test output stays quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    @staticmethod
    def answer(body: dict) -> list[dict]:
        metadata = body.get("metadata") or {}
        first, second = ANSWERS.get(metadata.get("language"), ANSWERS["en"])
        reference = metadata.get("case_reference", "")
        return [{"recipient_id": body["sender"], "text": first.format(reference=reference)},
                {"recipient_id": body["sender"], "text": second,
                 "buttons": [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]}]

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
