"""Case store: cases, their requests, the append-only audit trail, the outbox.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

from bot.models import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

APPEND_ONLY_SQLITE = """
CREATE TRIGGER case_events_no_{verb} BEFORE {verb} ON case_events
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END
"""
APPEND_ONLY_POSTGRES = """
CREATE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$;
CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events
FOR EACH ROW EXECUTE FUNCTION case_events_append_only();
"""


def upgrade():
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("reference", sa.String(16), nullable=False, unique=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("status", sa.String(32), nullable=False, index=True),
        sa.Column("requester_name", sa.String(200)),
        sa.Column("requester_email", sa.String(320), index=True),
        sa.Column("requester_phone", sa.String(32), index=True),
        sa.Column("received_at", UTCDateTime, nullable=False),
        sa.Column("due_at", UTCDateTime, nullable=False, index=True),
        sa.Column("extension_months", sa.Integer, nullable=False),
        sa.Column("extension_reason", sa.Text),
        sa.Column("assignee", sa.String(100), index=True),
        sa.Column("verification_level", sa.String(64), nullable=False),
        sa.Column("needs_human", sa.Boolean, nullable=False),
        sa.Column("inform_authority", sa.Boolean, nullable=False),
        sa.Column("outcome_reason", sa.Text),
        sa.Column("conversation_id", sa.String(200), index=True),
        sa.Column("closed_at", UTCDateTime),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "case_requests",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False, index=True),
        sa.Column("request_type", sa.String(32), nullable=False, index=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("received_at", UTCDateTime, nullable=False),
        sa.Column("details", sa.JSON, nullable=False),
    )
    op.create_table(
        "case_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False, index=True),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_table(
        "outbound_emails",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), index=True),
        sa.Column("kind", sa.String(48), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("message_id", sa.String(255), nullable=False, unique=True),
        sa.Column("to_address", sa.String(320), nullable=False),
        sa.Column("subject", sa.String(998), nullable=False),
        sa.Column("body_text", sa.Text, nullable=False),
        sa.Column("body_html", sa.Text),
        sa.Column("in_reply_to", sa.String(998)),
        sa.Column("references", sa.Text),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", UTCDateTime, nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("sent_at", UTCDateTime),
    )
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(APPEND_ONLY_SQLITE.format(verb=verb))
    else:
        op.execute(APPEND_ONLY_POSTGRES)


def downgrade():
    raise NotImplementedError("The audit trail is never dropped; restore from a backup instead.")
