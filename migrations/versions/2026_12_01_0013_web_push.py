"""Web Push: subscriptions per browser and the push outbox

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 07:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "push_subscriptions",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("user_id", sa.Uuid(), sa.ForeignKey("users.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("endpoint", sa.String(1000), nullable=False, unique=True),
        sa.Column("p256dh", sa.String(200), nullable=False),
        sa.Column("auth", sa.String(100), nullable=False),
        sa.Column("service", sa.String(40), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "push_messages",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("subscription_id", sa.Uuid(),
                  sa.ForeignKey("push_subscriptions.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("dedup_key", sa.String(200), nullable=False),
        sa.Column("service", sa.String(40), nullable=False),
        sa.Column("payload", sa.String(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("sent_at", TS),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", TS),
        sa.Column("claimed_by", sa.String(80)),
        sa.Column("claimed_until", TS),
        sa.Column("last_error", sa.String()),
        sa.UniqueConstraint("subscription_id", "dedup_key", name="uq_push_message_once"),
    )
    op.create_index("ix_push_messages_pending", "push_messages", ["created_at"],
                    postgresql_where=sa.text("status = 'pending'"))


def downgrade() -> None:
    op.drop_table("push_messages")
    op.drop_table("push_subscriptions")
