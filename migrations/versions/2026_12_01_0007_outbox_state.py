"""outbox rows as state machines; periodic jobs run once per period

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 01:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("notifications", sa.Column("status", sa.String(10), nullable=False,
                                             server_default="pending"))
    op.add_column("notifications", sa.Column("next_attempt_at", sa.DateTime(timezone=True)))
    op.add_column("notifications", sa.Column("claimed_by", sa.String(80)))
    op.add_column("notifications", sa.Column("claimed_until", sa.DateTime(timezone=True)))
    op.execute("UPDATE notifications SET status = 'done' WHERE sent_at IS NOT NULL")
    op.execute("UPDATE notifications SET status = 'dead' WHERE sent_at IS NULL AND attempts >= 8")
    op.alter_column("notifications", "status", server_default=None)
    op.drop_index("ix_notifications_unsent", table_name="notifications",
                  postgresql_where=sa.text("sent_at IS NULL"))
    op.create_index("ix_notifications_pending", "notifications", ["created_at"],
                    postgresql_where=sa.text("status = 'pending'"))

    op.add_column("payout_transfers", sa.Column("claimed_by", sa.String(80)))
    op.add_column("payout_transfers", sa.Column("claimed_until", sa.DateTime(timezone=True)))

    op.create_table(
        "periodic_runs",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("next_run_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_run_at", sa.DateTime(timezone=True)),
        sa.Column("last_run_by", sa.String(80)),
        sa.Column("runs", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_table("periodic_runs")
    op.drop_column("payout_transfers", "claimed_until")
    op.drop_column("payout_transfers", "claimed_by")
    op.drop_index("ix_notifications_pending", table_name="notifications",
                  postgresql_where=sa.text("status = 'pending'"))
    op.create_index("ix_notifications_unsent", "notifications", ["created_at"],
                    postgresql_where=sa.text("sent_at IS NULL"))
    for column in ("claimed_until", "claimed_by", "next_attempt_at", "status"):
        op.drop_column("notifications", column)
