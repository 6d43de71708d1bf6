"""Reading the audit log: area admins their own area's events, the platform operator all."""
