"""Identity verification: code challenges (hashes only), and sealed parts of outgoing messages.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

from bot.models import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = ("verification",)
depends_on = None


def upgrade():
    op.create_table(
        "verification_challenges",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False, index=True),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("link_token_hash", sa.String(64), unique=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("wrong_tries", sa.Integer, nullable=False),
        sa.Column("issued_at", UTCDateTime, nullable=False),
        sa.Column("expires_at", UTCDateTime, nullable=False),
        sa.Column("resolved_at", UTCDateTime),
    )
    op.create_table(
        "outbox_sealed_parts",
        sa.Column("outbound_email_id", sa.Integer, sa.ForeignKey("outbound_emails.id"), primary_key=True),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("expires_at", UTCDateTime, nullable=False, index=True),
    )


def downgrade():
    op.drop_table("outbox_sealed_parts")
    op.drop_table("verification_challenges")
