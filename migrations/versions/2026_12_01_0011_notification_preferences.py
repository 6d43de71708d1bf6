"""professionals choose per kind of e-mail: instantly, in a daily digest or not at all;
matching proposals keep their refusal's rules and numbers, to show in any language

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-01 04:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("professional_profiles", sa.Column("notifications", JSONB, nullable=False,
                                                     server_default="{}"))
    op.add_column("matching_proposals", sa.Column("refusal_rules", JSONB, nullable=False,
                                                  server_default="[]"))


def downgrade() -> None:
    op.drop_column("matching_proposals", "refusal_rules")
    op.drop_column("professional_profiles", "notifications")
