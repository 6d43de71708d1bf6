"""identity flows: e-mail tokens, staff invitations, address verification, mail to an address

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 03:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Accounts made before this were verified by whoever made them.
    op.add_column("users", sa.Column("email_verified", sa.Boolean(), nullable=False,
                                     server_default=sa.true()))
    # An invitee has no account yet: their e-mail goes to an address.
    op.add_column("notifications", sa.Column("to_address", sa.String(320)))
    op.alter_column("notifications", "user_id", nullable=True)
    op.create_check_constraint("ck_notification_recipient", "notifications",
                               "user_id IS NOT NULL OR to_address IS NOT NULL")
    op.create_table(
        "email_tokens",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("user_id", sa.Uuid(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("purpose", sa.String(30), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_email_tokens_user_id", "email_tokens", ["user_id"])
    op.create_table(
        "invitations",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("organisation_id", sa.Uuid(), sa.ForeignKey("organisations.id"),
                  nullable=False),
        sa.Column("unit_id", sa.Uuid(), sa.ForeignKey("units.id")),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("role", sa.String(30), nullable=False),
        sa.Column("locale", sa.String(5), nullable=False),
        sa.Column("invited_by", sa.Uuid(), sa.ForeignKey("users.id")),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True)),
        sa.Column("accepted_user_id", sa.Uuid(), sa.ForeignKey("users.id")),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint("role IN ('scheduler', 'area_admin')", name="ck_invitation_role"),
        sa.CheckConstraint("role = 'scheduler' OR unit_id IS NULL", name="ck_invitation_scope"),
    )
    op.create_index("ix_invitations_organisation_id", "invitations", ["organisation_id"])
    op.create_index("ix_audit_events_at", "audit_events", ["at"])


def downgrade() -> None:
    op.drop_index("ix_audit_events_at", table_name="audit_events")
    op.drop_table("invitations")
    op.drop_table("email_tokens")
    op.drop_constraint("ck_notification_recipient", "notifications")
    op.execute("DELETE FROM notifications WHERE user_id IS NULL")
    op.alter_column("notifications", "user_id", nullable=False)
    op.drop_column("notifications", "to_address")
    op.drop_column("users", "email_verified")
