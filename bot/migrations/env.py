"""Alembic environment: migrations run on the engine Privacy Desk hands over (bot.db.upgrade)."""
import logging

from alembic import context

from bot.schema import Base

logging.getLogger("alembic").setLevel(logging.WARNING)  # the schema version is not news
engine = context.config.attributes["engine"]
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
