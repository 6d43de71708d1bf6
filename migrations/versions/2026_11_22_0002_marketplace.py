"""marketplace: shifts, assignments (no overlaps, enforced by the database), standby lists,
timesheets

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 16:03:44.320393
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0002'
down_revision: str | Sequence[str] | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('shifts',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('profession', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('positions', sa.Integer(), nullable=False),
    sa.Column('assigned_count', sa.Integer(), nullable=False),
    sa.Column('offered_count', sa.Integer(), nullable=False),
    sa.Column('required_specialties', postgresql.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.Column('required_languages', postgresql.JSONB(astext_type=sa.Text()), server_default='{}', nullable=False),
    sa.Column('language_tokens', postgresql.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.Column('required_competences', postgresql.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.Column('onboarding_required', sa.Boolean(), nullable=False),
    sa.Column('is_remote', sa.Boolean(), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('visibility', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('break_minutes', sa.Integer(), nullable=False),
    sa.Column('base_hourly_cents', sa.Integer(), nullable=False),
    sa.Column('pay_total_cents', sa.Integer(), nullable=False),
    sa.Column('pay_breakdown', postgresql.JSONB(astext_type=sa.Text()), server_default='{}', nullable=False),
    sa.Column('cancel_reason', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('matched_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('assigned_count >= 0 AND offered_count >= 0 AND assigned_count + offered_count <= positions', name='ck_shifts_counts'),
    sa.CheckConstraint('ends_at > starts_at', name='ck_shifts_order'),
    sa.CheckConstraint('pay_total_cents >= 0', name='ck_shifts_pay'),
    sa.CheckConstraint('positions >= 1', name='ck_shifts_positions'),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], ),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_shifts_board', 'shifts', ['profession', 'starts_at'], unique=False, postgresql_where=sa.text("status IN ('published', 'filled')"))
    op.create_index('ix_shifts_language_tokens', 'shifts', ['language_tokens'], unique=False, postgresql_using='gin')
    op.create_index(op.f('ix_shifts_organisation_id'), 'shifts', ['organisation_id'], unique=False)
    op.create_index('ix_shifts_required_competences', 'shifts', ['required_competences'], unique=False, postgresql_using='gin')
    op.create_index('ix_shifts_required_specialties', 'shifts', ['required_specialties'], unique=False, postgresql_using='gin')
    op.create_index('ix_shifts_status_starts_at', 'shifts', ['status', 'starts_at'], unique=False)
    op.create_index('ix_shifts_unit_starts_at', 'shifts', ['unit_id', 'starts_at'], unique=False)
    op.create_index('ix_shifts_unmatched', 'shifts', ['published_at'], unique=False, postgresql_where=sa.text("matched_at IS NULL AND status = 'published'"))
    op.create_table('assignments',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('shift_id', sa.Uuid(), nullable=False),
    sa.Column('professional_id', sa.Uuid(), nullable=False),
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.Uuid(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_by', sa.Uuid(), nullable=True),
    sa.Column('cancel_reason', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('late_cancellation', sa.Boolean(), nullable=False),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    # A professional never holds two confirmed shifts whose times overlap (btree_gist: 0001).
    postgresql.ExcludeConstraint((sa.column('professional_id'), '='), (sa.text('tstzrange(starts_at, ends_at)'), '&&'), where=sa.text("status = 'confirmed'"), using='gist', name='ex_assignments_no_overlap'),
    sa.ForeignKeyConstraint(['cancelled_by'], ['users.id'], ),
    sa.ForeignKeyConstraint(['decided_by'], ['users.id'], ),
    sa.ForeignKeyConstraint(['professional_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['shift_id'], ['shifts.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_assignments_professional_starts_at', 'assignments', ['professional_id', 'starts_at'], unique=False)
    op.create_index('ix_assignments_reminder', 'assignments', ['starts_at'], unique=False, postgresql_where=sa.text("status = 'confirmed' AND reminded_at IS NULL"))
    op.create_index(op.f('ix_assignments_shift_id'), 'assignments', ['shift_id'], unique=False)
    op.create_index('ix_assignments_unit_starts_at', 'assignments', ['unit_id', 'starts_at'], unique=False)
    op.create_index('uq_assignments_open_claim', 'assignments', ['shift_id', 'professional_id'], unique=True, postgresql_where=sa.text("status IN ('requested', 'confirmed')"))
    op.create_table('waitlist_entries',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('shift_id', sa.Uuid(), nullable=False),
    sa.Column('professional_id', sa.Uuid(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('offered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('offer_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['professional_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['shift_id'], ['shifts.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_waitlist_entries_professional_id'), 'waitlist_entries', ['professional_id'], unique=False)
    op.create_index('ix_waitlist_offers_expiring', 'waitlist_entries', ['offer_expires_at'], unique=False, postgresql_where=sa.text("status = 'offered'"))
    op.create_index('ix_waitlist_queue', 'waitlist_entries', ['shift_id', 'created_at'], unique=False, postgresql_where=sa.text("status = 'waiting'"))
    op.create_index('uq_waitlist_open_entry', 'waitlist_entries', ['shift_id', 'professional_id'], unique=True, postgresql_where=sa.text("status IN ('waiting', 'offered')"))
    op.create_table('timesheets',
    sa.Column('assignment_id', sa.Uuid(), nullable=False),
    sa.Column('shift_id', sa.Uuid(), nullable=False),
    sa.Column('professional_id', sa.Uuid(), nullable=False),
    sa.Column('actual_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actual_end', sa.DateTime(timezone=True), nullable=False),
    sa.Column('break_minutes', sa.Integer(), nullable=False),
    sa.Column('contacts_handled', sa.Integer(), nullable=False),
    sa.Column('resolved_remotely', sa.Integer(), nullable=False),
    sa.Column('referred_to_health_station', sa.Integer(), nullable=False),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_by', sa.Uuid(), nullable=True),
    sa.Column('corrected', sa.Boolean(), nullable=False),
    sa.Column('correction_note', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('pay_total_cents', sa.Integer(), nullable=True),
    sa.Column('pay_breakdown', postgresql.JSONB(astext_type=sa.Text()), server_default='{}', nullable=False),
    sa.CheckConstraint('actual_end > actual_start', name='ck_timesheets_order'),
    sa.CheckConstraint('break_minutes >= 0', name='ck_timesheets_break'),
    sa.ForeignKeyConstraint(['approved_by'], ['users.id'], ),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'], ),
    sa.ForeignKeyConstraint(['professional_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['shift_id'], ['shifts.id'], ),
    sa.PrimaryKeyConstraint('assignment_id')
    )
    op.create_index(op.f('ix_timesheets_professional_id'), 'timesheets', ['professional_id'], unique=False)
    op.create_index(op.f('ix_timesheets_shift_id'), 'timesheets', ['shift_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_timesheets_shift_id'), table_name='timesheets')
    op.drop_index(op.f('ix_timesheets_professional_id'), table_name='timesheets')
    op.drop_table('timesheets')
    op.drop_index('uq_waitlist_open_entry', table_name='waitlist_entries', postgresql_where=sa.text("status IN ('waiting', 'offered')"))
    op.drop_index('ix_waitlist_queue', table_name='waitlist_entries', postgresql_where=sa.text("status = 'waiting'"))
    op.drop_index('ix_waitlist_offers_expiring', table_name='waitlist_entries', postgresql_where=sa.text("status = 'offered'"))
    op.drop_index(op.f('ix_waitlist_entries_professional_id'), table_name='waitlist_entries')
    op.drop_table('waitlist_entries')
    op.drop_index('uq_assignments_open_claim', table_name='assignments', postgresql_where=sa.text("status IN ('requested', 'confirmed')"))
    op.drop_index('ix_assignments_unit_starts_at', table_name='assignments')
    op.drop_index(op.f('ix_assignments_shift_id'), table_name='assignments')
    op.drop_index('ix_assignments_reminder', table_name='assignments', postgresql_where=sa.text("status = 'confirmed' AND reminded_at IS NULL"))
    op.drop_index('ix_assignments_professional_starts_at', table_name='assignments')
    op.drop_table('assignments')
    op.drop_index('ix_shifts_unmatched', table_name='shifts', postgresql_where=sa.text("matched_at IS NULL AND status = 'published'"))
    op.drop_index('ix_shifts_unit_starts_at', table_name='shifts')
    op.drop_index('ix_shifts_status_starts_at', table_name='shifts')
    op.drop_index('ix_shifts_required_specialties', table_name='shifts', postgresql_using='gin')
    op.drop_index('ix_shifts_required_competences', table_name='shifts', postgresql_using='gin')
    op.drop_index(op.f('ix_shifts_organisation_id'), table_name='shifts')
    op.drop_index('ix_shifts_language_tokens', table_name='shifts', postgresql_using='gin')
    op.drop_index('ix_shifts_board', table_name='shifts', postgresql_where=sa.text("status IN ('published', 'filled')"))
    op.drop_table('shifts')
