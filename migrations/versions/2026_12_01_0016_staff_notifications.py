"""schedulers choose per kind of e-mail (claims, late cancellations, requests, submitted
timesheets): instantly, in a daily digest or not at all

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 06:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("users", sa.Column("staff_notifications", JSONB, nullable=False,
                                     server_default="{}"))


def downgrade() -> None:
    op.drop_column("users", "staff_notifications")
