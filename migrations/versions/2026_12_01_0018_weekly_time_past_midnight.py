"""a weekly time may run past midnight (22:00-06:00): its end only differs from its start

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 10:00:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | Sequence[str] | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_constraint("ck_pattern_order", "availability_patterns", type_="check")
    op.create_check_constraint("ck_pattern_order", "availability_patterns", "ends <> starts")


def downgrade() -> None:
    # A night-time pattern has no place in the old rule: it goes with the downgrade.
    op.execute("DELETE FROM availability_patterns WHERE ends < starts")
    op.drop_constraint("ck_pattern_order", "availability_patterns", type_="check")
    op.create_check_constraint("ck_pattern_order", "availability_patterns", "ends > starts")
