"""The assistant's conversations, kept in Privacy Desk's own database (PRIVACY_DESK_DATABASE_URL) so that a
restart of the Rasa server loses none, and staff read what was said where the case is.

endpoints.yml names it:

    tracker_store:
      type: assistant.tracker_store.CaseStoreTrackerStore

Rasa's SQL tracker store with one difference: its database is the case store's, reached through the same engine
as bot/db.py, so on the default SQLite file both share WAL mode and the busy timeout and never lock each other
out. Rasa's table (`events`) sits beside the case tables; no migration of Privacy Desk touches it.
"""
from __future__ import annotations

import logging
from typing import Any, Optional

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from sqlalchemy.exc import IntegrityError, ProgrammingError
from sqlalchemy.orm import sessionmaker

from bot import db

log = logging.getLogger(__name__)


class CaseStoreTrackerStore(SQLTrackerStore):
    def __init__(self, domain: Optional[Domain] = None, event_broker: Optional[EventBroker] = None,
                 host: Optional[str] = None, **kwargs: Any) -> None:
        # `host` is the endpoint's `url:`, which Rasa always passes; the database is the setting, never the file.
        if host:
            log.warning("tracker_store: `url` in the endpoints file is ignored; conversations are kept in the "
                        "database of PRIVACY_DESK_DATABASE_URL")
        self.engine = db.engine_for(db.database_url())
        self._create_tables()
        self.sessionmaker = sessionmaker(bind=self.engine)
        TrackerStore.__init__(self, domain, event_broker, **kwargs)

    def _create_tables(self) -> None:
        try:
            self.Base.metadata.create_all(self.engine)
        except (IntegrityError, ProgrammingError):
            # Another Rasa server on the same PostgreSQL created them at the same moment; they exist now.
            self.Base.metadata.create_all(self.engine)
