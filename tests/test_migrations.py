"""The migrations build exactly the schema the models describe, on both databases."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from bot import db
from bot.schema import Base


def test_models_match_migrations(any_store):
    with db.engine_for(any_store).connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_upgrade_is_idempotent(store):
    db.upgrade(store)
    db.upgrade(store)
