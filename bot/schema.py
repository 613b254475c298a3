"""Every table of Privacy Desk, for Alembic and for the test that compares models and migrations.

Each area keeps its tables in its own module; import it here when it adds one.
"""
from bot.models import Base  # noqa: F401  (cases, requests, audit trail, outbox)
