"""contact history per unit and interval, and the forecast runs made from it

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 06:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "contact_history",
        sa.Column("unit_id", sa.Uuid(), sa.ForeignKey("units.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("starts_at", sa.DateTime(timezone=True), primary_key=True),
        sa.Column("interval_minutes", sa.SmallInteger(), nullable=False),
        sa.Column("contacts", sa.Integer(), nullable=False),
        sa.Column("handled", sa.Integer()),
        sa.Column("abandoned", sa.Integer()),
        sa.Column("average_handling_time_s", sa.Float()),
        sa.Column("source", sa.String(20), nullable=False, server_default="import"),
        sa.CheckConstraint("contacts >= 0", name="ck_contact_history_contacts"),
        sa.CheckConstraint("interval_minutes IN (5, 15, 30, 60)",
                           name="ck_contact_history_interval"),
    )
    op.create_table(
        "forecast_runs",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("unit_id", sa.Uuid(), sa.ForeignKey("units.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("model", sa.String(60), nullable=False),
        sa.Column("history_first", sa.DateTime(timezone=True), nullable=False),
        sa.Column("history_last", sa.DateTime(timezone=True), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("interval_minutes", sa.SmallInteger(), nullable=False),
        sa.Column("settings", JSONB, nullable=False, server_default="{}"),
        sa.Column("accuracy", JSONB, nullable=False, server_default="{}"),
        sa.Column("intervals", JSONB, nullable=False, server_default="[]"),
        sa.Column("requested_by", sa.Uuid(), sa.ForeignKey("users.id")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("forecast_runs")
    op.drop_table("contact_history")
