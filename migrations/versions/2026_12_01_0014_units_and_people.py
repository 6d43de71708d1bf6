"""units' default visibility, favourite and blocked professionals per unit, versioned
onboarding steps (retired steps; steps that do not apply to those already onboarded)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 06:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("units", sa.Column("default_visibility", sa.String(20), nullable=False,
                                     server_default="area"))
    op.create_table(
        "unit_professional_marks",
        sa.Column("unit_id", postgresql.UUID(as_uuid=True), sa.ForeignKey("units.id"),
                  primary_key=True),
        sa.Column("professional_id", postgresql.UUID(as_uuid=True), sa.ForeignKey("users.id"),
                  primary_key=True, index=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("reason", sa.String(1000), nullable=False, server_default=""),
        sa.Column("marked_by", postgresql.UUID(as_uuid=True), sa.ForeignKey("users.id")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('favourite', 'blocked')", name="ck_unit_marks_kind"),
        sa.CheckConstraint("kind <> 'blocked' OR length(reason) > 0",
                           name="ck_unit_marks_blocked_reason"),
    )
    op.add_column("onboarding_items", sa.Column("retired_at", sa.DateTime(timezone=True)))
    op.add_column("onboarding_items", sa.Column(
        "applies_to_onboarded", sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade() -> None:
    op.drop_column("onboarding_items", "applies_to_onboarded")
    op.drop_column("onboarding_items", "retired_at")
    op.drop_table("unit_professional_marks")
    op.drop_column("units", "default_visibility")
