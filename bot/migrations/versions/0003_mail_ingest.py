"""Mail intake: letters received, mailbox positions and leases, dead letters.

Revision ID: 0003
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

from bot.models import UTCDateTime

revision = "0003"
down_revision = "0001"
branch_labels = ("mail",)
depends_on = None


def upgrade():
    op.create_table(
        "inbound_letters",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("dedupe_key", sa.String(255), nullable=False, unique=True),
        sa.Column("message_id", sa.String(255), index=True),
        sa.Column("mailbox", sa.String(300)),
        sa.Column("uidvalidity", sa.BigInteger),
        sa.Column("uid", sa.BigInteger),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), index=True),
        sa.Column("from_address", sa.String(320), index=True),
        sa.Column("subject", sa.String(998), nullable=False),
        sa.Column("sent_at", UTCDateTime),
        sa.Column("received_at", UTCDateTime, nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("request_types", sa.JSON, nullable=False),
        sa.Column("attachments", sa.JSON, nullable=False),
        sa.Column("body_text", sa.Text, nullable=False),
        sa.Column("in_reply_to", sa.String(255)),
        sa.Column("references", sa.Text),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("no_reply_reasons", sa.JSON, nullable=False),
        sa.Column("parse_errors", sa.JSON, nullable=False),
        sa.Column("raw", sa.LargeBinary),
        sa.Column("answer_attempts", sa.Integer, nullable=False),
        sa.Column("next_answer_at", UTCDateTime),
        sa.Column("last_error", sa.Text),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "mail_positions",
        sa.Column("mailbox", sa.String(300), primary_key=True),
        sa.Column("uidvalidity", sa.BigInteger, nullable=False),
        sa.Column("last_uid", sa.BigInteger, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "mail_leases",
        sa.Column("mailbox", sa.String(300), primary_key=True),
        sa.Column("holder", sa.String(200), nullable=False),
        sa.Column("expires_at", UTCDateTime, nullable=False),
        sa.Column("acquired_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "mail_dead_letters",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("mailbox", sa.String(300), nullable=False),
        sa.Column("uidvalidity", sa.BigInteger, nullable=False),
        sa.Column("uid", sa.BigInteger, nullable=False),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("size", sa.BigInteger),
        sa.Column("headers", sa.Text),
        sa.Column("raw", sa.LargeBinary),
        sa.Column("error", sa.Text),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("first_failed_at", UTCDateTime, nullable=False),
        sa.Column("last_failed_at", UTCDateTime, nullable=False),
        sa.Column("resolved_at", UTCDateTime),
        sa.Column("letter_id", sa.Integer, sa.ForeignKey("inbound_letters.id")),
        sa.UniqueConstraint("mailbox", "uidvalidity", "uid"),
    )


def downgrade():
    op.drop_table("mail_dead_letters")
    op.drop_table("mail_leases")
    op.drop_table("mail_positions")
    op.drop_table("inbound_letters")
