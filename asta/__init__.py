"""Asta: gig-shift marketplace for Finnish public health care."""
