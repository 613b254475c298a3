"""Every table of Privacy Desk, for Alembic and for the test that compares models and migrations.

Each area keeps its tables in its own module; import it here when it adds one.
"""
from bot.models import Base  # noqa: F401  (cases, requests, audit trail, outbox)
import bot.staff_models  # noqa: F401,E402  (staff accounts, console sessions, sign-in throttle)
import mail_ingest.models  # noqa: F401,E402  (letters received, mailbox positions and leases, dead letters)
import bot.verification_models  # noqa: F401,E402  (verification challenges, sealed parts of outgoing mail)
import bot.retention_models  # noqa: F401,E402  (the record of retention purges)
