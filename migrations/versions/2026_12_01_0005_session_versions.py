"""session versions: every token names the version it was issued at; bumping it revokes all

The database bumps the version itself when a password, e-mail address, active flag or
erasure changes, or when a role is changed or removed, so no code path can forget to.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 00:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("users", sa.Column("session_version", sa.Integer(), server_default="0",
                                     nullable=False))
    op.execute("""
        CREATE FUNCTION users_bump_session_version() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.password_hash IS DISTINCT FROM OLD.password_hash
               OR NEW.email IS DISTINCT FROM OLD.email
               OR NEW.is_active IS DISTINCT FROM OLD.is_active
               OR NEW.erased_at IS DISTINCT FROM OLD.erased_at THEN
                NEW.session_version := OLD.session_version + 1;
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER users_revoke_sessions BEFORE UPDATE ON users
            FOR EACH ROW EXECUTE FUNCTION users_bump_session_version();

        CREATE FUNCTION role_assignments_revoke_sessions() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE users SET session_version = session_version + 1 WHERE id = OLD.user_id;
            RETURN NULL;
        END $$;
        -- A new grant takes effect on the next request (roles are read on every request);
        -- a changed or removed one must end the sessions that were issued with it.
        CREATE TRIGGER role_assignments_revoke_sessions
            AFTER UPDATE OR DELETE ON role_assignments
            FOR EACH ROW EXECUTE FUNCTION role_assignments_revoke_sessions();
    """)


def downgrade() -> None:
    op.execute("""
        DROP TRIGGER role_assignments_revoke_sessions ON role_assignments;
        DROP FUNCTION role_assignments_revoke_sessions();
        DROP TRIGGER users_revoke_sessions ON users;
        DROP FUNCTION users_bump_session_version();
    """)
    op.drop_column("users", "session_version")
