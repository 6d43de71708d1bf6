"""Web Push: a professional's devices subscribe; standby offers and bookings are pushed to
them through an outbox, next to the e-mail, encrypted for each device (RFC 8291) and signed
with the server's VAPID key (RFC 8292)."""
