"""foundation

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 15:47:33.441472
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0001'
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# The job queue of dramatiq-pg (its schema.sql), kept in Asta's own database.
DRAMATIQ_SCHEMA = """
CREATE SCHEMA IF NOT EXISTS dramatiq;
CREATE TYPE dramatiq.state AS ENUM ('queued', 'consumed', 'rejected', 'done');
CREATE TABLE dramatiq.queue(
  message_id uuid PRIMARY KEY,
  queue_name TEXT NOT NULL DEFAULT 'default',
  "state" dramatiq.state,
  mtime TIMESTAMP WITH TIME ZONE DEFAULT (NOW() AT TIME ZONE 'UTC'),
  message JSONB,
  "result" JSONB,
  result_ttl TIMESTAMP WITH TIME ZONE
);
CREATE INDEX ON dramatiq.queue("state", mtime);
"""


def upgrade() -> None:
    # btree_gist lets exclusion constraints mix equality (who) with range overlap (when).
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    op.execute(DRAMATIQ_SCHEMA)
    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Uuid(), nullable=True),
    sa.Column('organisation_id', sa.Uuid(), nullable=True),
    sa.Column('entity_type', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('entity_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('before', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('after', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_audit_events_actor_id'), 'audit_events', ['actor_id'], unique=False)
    op.create_index('ix_audit_events_entity', 'audit_events', ['entity_type', 'entity_id'], unique=False)
    op.create_index(op.f('ix_audit_events_organisation_id'), 'audit_events', ['organisation_id'], unique=False)
    op.create_table('login_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
    sa.Column('ip', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('succeeded', sa.Boolean(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_login_attempts_email_at', 'login_attempts', ['email', 'at'], unique=False)
    op.create_index('ix_login_attempts_ip_at', 'login_attempts', ['ip', 'at'], unique=False)
    op.create_table('organisations',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('settings', postgresql.JSONB(astext_type=sa.Text()), server_default='{}', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('slug')
    )
    op.create_table('users',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
    sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=True),
    sa.Column('full_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('locale', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('calendar_token', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('calendar_token'),
    sa.UniqueConstraint('email')
    )
    op.create_table('availability_windows',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name='ck_availability_order'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_availability_windows_user_id'), 'availability_windows', ['user_id'], unique=False)
    op.create_table('certificates',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('competence', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('warned_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_certificates_expires_on'), 'certificates', ['expires_on'], unique=False)
    op.create_index(op.f('ix_certificates_user_id'), 'certificates', ['user_id'], unique=False)
    op.create_table('notifications',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('dedup_key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('body', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('dedup_key')
    )
    op.create_index('ix_notifications_unsent', 'notifications', ['created_at'], unique=False, postgresql_where=sa.text('sent_at IS NULL'))
    op.create_index(op.f('ix_notifications_user_id'), 'notifications', ['user_id'], unique=False)
    op.create_table('professional_profiles',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('profession', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('registration_number', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('registration_valid_until', sa.Date(), nullable=True),
    sa.Column('registration_status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('registration_verified_by', sa.Uuid(), nullable=True),
    sa.Column('registration_verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('registration_warned_on', sa.Date(), nullable=True),
    sa.Column('specialties', postgresql.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.Column('languages', postgresql.JSONB(astext_type=sa.Text()), server_default='[]', nullable=False),
    sa.Column('competences', postgresql.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.Column('bio', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('home_municipality', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('max_hours_per_week', sa.Float(), nullable=True),
    sa.Column('min_hourly_pay_cents', sa.Integer(), nullable=True),
    sa.Column('remote_only', sa.Boolean(), nullable=False),
    sa.Column('preferred_unit_ids', postgresql.ARRAY(sa.Uuid()), server_default='{}', nullable=False),
    sa.Column('preferred_weekdays', postgresql.ARRAY(sa.Integer()), server_default='{}', nullable=False),
    sa.Column('unwanted_weekdays', postgresql.ARRAY(sa.Integer()), server_default='{}', nullable=False),
    sa.Column('preferred_times', postgresql.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.Column('unwanted_times', postgresql.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['registration_verified_by'], ['users.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('user_id')
    )
    op.create_index(op.f('ix_professional_profiles_profession'), 'professional_profiles', ['profession'], unique=False)
    op.create_index('ix_profiles_competences', 'professional_profiles', ['competences'], unique=False, postgresql_using='gin')
    op.create_index('ix_profiles_languages', 'professional_profiles', ['languages'], unique=False, postgresql_using='gin')
    op.create_index('ix_profiles_specialties', 'professional_profiles', ['specialties'], unique=False, postgresql_using='gin')
    op.create_table('units',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('is_remote', sa.Boolean(), nullable=False),
    sa.Column('languages', postgresql.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.Column('claim_mode', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('min_rest_hours', sa.Float(), nullable=False),
    sa.Column('weekly_max_hours', sa.Float(), nullable=False),
    sa.Column('cancellation_notice_hours', sa.Integer(), nullable=False),
    sa.Column('rate_card', postgresql.JSONB(astext_type=sa.Text()), server_default='{}', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_units_organisation_id'), 'units', ['organisation_id'], unique=False)
    op.create_table('onboarding_items',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_onboarding_items_unit_id'), 'onboarding_items', ['unit_id'], unique=False)
    op.create_table('role_assignments',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=True),
    sa.Column('unit_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(role IN ('professional','platform_operator') AND organisation_id IS NULL AND unit_id IS NULL) OR (role = 'area_admin' AND organisation_id IS NOT NULL AND unit_id IS NULL) OR (role = 'scheduler' AND organisation_id IS NOT NULL)", name='ck_role_scope'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'role', 'organisation_id', 'unit_id', name='uq_role_assignment', postgresql_nulls_not_distinct=True)
    )
    op.create_index(op.f('ix_role_assignments_organisation_id'), 'role_assignments', ['organisation_id'], unique=False)
    op.create_index(op.f('ix_role_assignments_user_id'), 'role_assignments', ['user_id'], unique=False)
    op.create_table('unit_onboardings',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('user_id', 'unit_id')
    )
    op.create_index(op.f('ix_unit_onboardings_unit_id'), 'unit_onboardings', ['unit_id'], unique=False)
    op.create_table('onboarding_completions',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('item_id', sa.Uuid(), nullable=False),
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['onboarding_items.id'], ),
    sa.ForeignKeyConstraint(['recorded_by'], ['users.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('user_id', 'item_id')
    )
    op.create_index(op.f('ix_onboarding_completions_unit_id'), 'onboarding_completions', ['unit_id'], unique=False)


def downgrade() -> None:
    op.execute("DROP SCHEMA IF EXISTS dramatiq CASCADE")
    op.drop_index(op.f('ix_onboarding_completions_unit_id'), table_name='onboarding_completions')
    op.drop_table('onboarding_completions')
    op.drop_index(op.f('ix_unit_onboardings_unit_id'), table_name='unit_onboardings')
    op.drop_table('unit_onboardings')
    op.drop_index(op.f('ix_role_assignments_user_id'), table_name='role_assignments')
    op.drop_index(op.f('ix_role_assignments_organisation_id'), table_name='role_assignments')
    op.drop_table('role_assignments')
    op.drop_index(op.f('ix_onboarding_items_unit_id'), table_name='onboarding_items')
    op.drop_table('onboarding_items')
    op.drop_index(op.f('ix_units_organisation_id'), table_name='units')
    op.drop_table('units')
    op.drop_index('ix_profiles_specialties', table_name='professional_profiles', postgresql_using='gin')
    op.drop_index('ix_profiles_languages', table_name='professional_profiles', postgresql_using='gin')
    op.drop_index('ix_profiles_competences', table_name='professional_profiles', postgresql_using='gin')
    op.drop_index(op.f('ix_professional_profiles_profession'), table_name='professional_profiles')
    op.drop_table('professional_profiles')
    op.drop_index(op.f('ix_notifications_user_id'), table_name='notifications')
    op.drop_index('ix_notifications_unsent', table_name='notifications', postgresql_where=sa.text('sent_at IS NULL'))
    op.drop_table('notifications')
    op.drop_index(op.f('ix_certificates_user_id'), table_name='certificates')
    op.drop_index(op.f('ix_certificates_expires_on'), table_name='certificates')
    op.drop_table('certificates')
    op.drop_index(op.f('ix_availability_windows_user_id'), table_name='availability_windows')
    op.drop_table('availability_windows')
    op.drop_table('users')
    op.drop_table('organisations')
    op.drop_index('ix_login_attempts_ip_at', table_name='login_attempts')
    op.drop_index('ix_login_attempts_email_at', table_name='login_attempts')
    op.drop_table('login_attempts')
    op.drop_index(op.f('ix_audit_events_organisation_id'), table_name='audit_events')
    op.drop_index('ix_audit_events_entity', table_name='audit_events')
    op.drop_index(op.f('ix_audit_events_actor_id'), table_name='audit_events')
    op.drop_table('audit_events')
