"""payments and metrics: connected accounts, transfers (recorded before they are sent),
payouts, area invoices, handled Stripe events; eNPS surveys, unit API keys, patient feedback

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 16:09:54.348103
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0003'
down_revision: str | Sequence[str] | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('stripe_events',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('type', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('account', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('area_invoices',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('hours', sa.Float(), nullable=False),
    sa.Column('pay_cents', sa.Integer(), nullable=False),
    sa.Column('fee_cents', sa.Integer(), nullable=False),
    sa.Column('total_cents', sa.Integer(), nullable=False),
    sa.Column('lines', postgresql.JSONB(astext_type=sa.Text()), server_default='[]', nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('stripe_invoice_id', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.Column('hosted_invoice_url', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finalized_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('organisation_id', 'month', name='uq_area_invoices_month'),
    sa.UniqueConstraint('stripe_invoice_id')
    )
    op.create_index(op.f('ix_area_invoices_organisation_id'), 'area_invoices', ['organisation_id'], unique=False)
    op.create_table('billing_customers',
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('stripe_customer_id', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('organisation_id'),
    sa.UniqueConstraint('stripe_customer_id')
    )
    op.create_table('connected_accounts',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('stripe_account_id', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('details_submitted', sa.Boolean(), nullable=False),
    sa.Column('transfers_enabled', sa.Boolean(), nullable=False),
    sa.Column('payouts_enabled', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('user_id'),
    sa.UniqueConstraint('stripe_account_id')
    )
    op.create_table('payout_transfers',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('professional_id', sa.Uuid(), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('mode', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('idempotency_key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('transfer_group', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('destination', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('stripe_transfer_id', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('paid_out_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('amount_cents > 0', name='ck_payout_transfers_amount'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ),
    sa.ForeignKeyConstraint(['professional_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('idempotency_key'),
    sa.UniqueConstraint('stripe_transfer_id'),
    sa.UniqueConstraint('transfer_group')
    )
    op.create_index('ix_payout_transfers_due', 'payout_transfers', ['next_attempt_at'], unique=False, postgresql_where=sa.text("status = 'pending'"))
    op.create_index(op.f('ix_payout_transfers_organisation_id'), 'payout_transfers', ['organisation_id'], unique=False)
    op.create_index(op.f('ix_payout_transfers_professional_id'), 'payout_transfers', ['professional_id'], unique=False)
    op.create_table('stripe_payouts',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('stripe_payout_id', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('stripe_account_id', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('professional_id', sa.Uuid(), nullable=True),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('arrival_date', sa.Date(), nullable=True),
    sa.Column('failure_code', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['professional_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('stripe_payout_id')
    )
    op.create_index(op.f('ix_stripe_payouts_professional_id'), 'stripe_payouts', ['professional_id'], unique=False)
    op.create_index(op.f('ix_stripe_payouts_stripe_account_id'), 'stripe_payouts', ['stripe_account_id'], unique=False)
    op.create_table('surveys',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('asked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('satisfaction', sa.Integer(), nullable=True),
    sa.Column('comment', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.CheckConstraint('satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5', name='ck_surveys_satisfaction'),
    sa.CheckConstraint('score IS NULL OR score BETWEEN 0 AND 10', name='ck_surveys_score'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_surveys_answered', 'surveys', ['organisation_id', 'answered_at'], unique=False, postgresql_where=sa.text('answered_at IS NOT NULL'))
    op.create_index('ix_surveys_user_unit', 'surveys', ['user_id', 'unit_id', 'asked_at'], unique=False)
    op.create_table('unit_api_keys',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('prefix', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('key_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], ),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key_hash')
    )
    op.create_index(op.f('ix_unit_api_keys_unit_id'), 'unit_api_keys', ['unit_id'], unique=False)
    op.create_table('patient_feedback',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('shift_id', sa.Uuid(), nullable=True),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('external_id', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('api_key_id', sa.Uuid(), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('score BETWEEN 0 AND 10', name='ck_patient_feedback_score'),
    sa.ForeignKeyConstraint(['api_key_id'], ['unit_api_keys.id'], ),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ),
    sa.ForeignKeyConstraint(['shift_id'], ['shifts.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('unit_id', 'external_id', name='uq_patient_feedback_external')
    )
    op.create_index('ix_patient_feedback_org_answered', 'patient_feedback', ['organisation_id', 'answered_at'], unique=False)
    op.create_index(op.f('ix_patient_feedback_shift_id'), 'patient_feedback', ['shift_id'], unique=False)
    op.create_index(op.f('ix_patient_feedback_unit_id'), 'patient_feedback', ['unit_id'], unique=False)
    op.create_table('payout_transfer_items',
    sa.Column('assignment_id', sa.Uuid(), nullable=False),
    sa.Column('transfer_id', sa.Uuid(), nullable=False),
    sa.Column('shift_id', sa.Uuid(), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'], ),
    sa.ForeignKeyConstraint(['shift_id'], ['shifts.id'], ),
    sa.ForeignKeyConstraint(['transfer_id'], ['payout_transfers.id'], ),
    sa.PrimaryKeyConstraint('assignment_id')
    )
    op.create_index(op.f('ix_payout_transfer_items_shift_id'), 'payout_transfer_items', ['shift_id'], unique=False)
    op.create_index(op.f('ix_payout_transfer_items_transfer_id'), 'payout_transfer_items', ['transfer_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_payout_transfer_items_transfer_id'), table_name='payout_transfer_items')
    op.drop_index(op.f('ix_payout_transfer_items_shift_id'), table_name='payout_transfer_items')
    op.drop_table('payout_transfer_items')
    op.drop_index(op.f('ix_patient_feedback_unit_id'), table_name='patient_feedback')
    op.drop_index(op.f('ix_patient_feedback_shift_id'), table_name='patient_feedback')
    op.drop_index('ix_patient_feedback_org_answered', table_name='patient_feedback')
    op.drop_table('patient_feedback')
    op.drop_index(op.f('ix_unit_api_keys_unit_id'), table_name='unit_api_keys')
    op.drop_table('unit_api_keys')
    op.drop_index('ix_surveys_user_unit', table_name='surveys')
    op.drop_index('ix_surveys_answered', table_name='surveys', postgresql_where=sa.text('answered_at IS NOT NULL'))
    op.drop_table('surveys')
    op.drop_index(op.f('ix_stripe_payouts_stripe_account_id'), table_name='stripe_payouts')
    op.drop_index(op.f('ix_stripe_payouts_professional_id'), table_name='stripe_payouts')
    op.drop_table('stripe_payouts')
    op.drop_index(op.f('ix_payout_transfers_professional_id'), table_name='payout_transfers')
    op.drop_index(op.f('ix_payout_transfers_organisation_id'), table_name='payout_transfers')
    op.drop_index('ix_payout_transfers_due', table_name='payout_transfers', postgresql_where=sa.text("status = 'pending'"))
    op.drop_table('payout_transfers')
    op.drop_table('connected_accounts')
    op.drop_table('billing_customers')
    op.drop_index(op.f('ix_area_invoices_organisation_id'), table_name='area_invoices')
    op.drop_table('area_invoices')
    op.drop_table('stripe_events')
