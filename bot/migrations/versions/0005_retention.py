"""Retention and erasure of Privacy Desk's own data: an audit event may be reduced once, and purges are recorded.

The audit trail stays append-only: the only UPDATE the database accepts sets `redacted_at` (once, from
empty), empties `reason`, keeps a part of `data`, and leaves who, what, when and the case as they were.
DELETE is refused as before. Purge runs are append-only too.

Revision ID: 0005
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

from bot.models import UTCDateTime

revision = "0005"
down_revision = "0001"
branch_labels = ("retention",)
depends_on = None

# A reduction: first time, who/what/when/case unchanged, no reason left, data only shrinks.
REDUCTION_SQLITE = """
OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL AND NEW.id = OLD.id AND NEW.case_id = OLD.case_id
AND NEW.at IS OLD.at AND NEW.actor IS OLD.actor AND NEW.action IS OLD.action AND NEW.reason IS NULL
AND NOT EXISTS (SELECT 1 FROM json_each(NEW.data) AS kept
                WHERE json_extract(OLD.data, kept.fullkey) IS NOT kept.value)
"""
REDUCTION_ONLY_SQLITE = f"""
CREATE TRIGGER case_events_reduction_only BEFORE UPDATE ON case_events
WHEN NOT ({REDUCTION_SQLITE})
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END
"""
REDUCTION_ONLY_POSTGRES = """
CREATE OR REPLACE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL AND NEW.id = OLD.id
     AND NEW.case_id = OLD.case_id AND NEW.at IS NOT DISTINCT FROM OLD.at
     AND NEW.actor IS NOT DISTINCT FROM OLD.actor AND NEW.action IS NOT DISTINCT FROM OLD.action
     AND NEW.reason IS NULL AND NEW.data::jsonb <@ OLD.data::jsonb THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'the audit trail is append-only';
END $$;
"""
PURGE_RUNS_SQLITE = """
CREATE TRIGGER purge_runs_no_{verb} BEFORE {verb} ON purge_runs
BEGIN SELECT RAISE(ABORT, 'the record of purges is append-only'); END
"""
PURGE_RUNS_POSTGRES = """
CREATE FUNCTION purge_runs_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'the record of purges is append-only'; END $$;
CREATE TRIGGER purge_runs_append_only BEFORE UPDATE OR DELETE ON purge_runs
FOR EACH ROW EXECUTE FUNCTION purge_runs_append_only();
"""


def upgrade():
    op.add_column("case_events", sa.Column("redacted_at", UTCDateTime))
    op.create_table(
        "purge_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", UTCDateTime, nullable=False, index=True),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("counts", sa.JSON, nullable=False),
    )
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER case_events_no_UPDATE")
        op.execute(REDUCTION_ONLY_SQLITE)
        for verb in ("UPDATE", "DELETE"):
            op.execute(PURGE_RUNS_SQLITE.format(verb=verb))
    else:
        op.execute(REDUCTION_ONLY_POSTGRES)
        op.execute(PURGE_RUNS_POSTGRES)


def downgrade():
    raise NotImplementedError("The audit trail is never dropped; restore from a backup instead.")
