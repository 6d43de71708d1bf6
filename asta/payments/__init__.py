"""Payments through Stripe Connect: paying professionals, invoicing wellbeing areas.

Stripe is reached through Stripe's official `stripe` package (asta.payments.gateway).
"""
