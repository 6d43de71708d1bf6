"""circuit breakers for the dependencies background work uses (SMTP relay, Stripe)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 04:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "circuits",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retry_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.String(1000)),
        sa.Column("probe_until", sa.DateTime(timezone=True)),
    )


def downgrade() -> None:
    op.drop_table("circuits")
