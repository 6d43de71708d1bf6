"""Every module that declares Dramatiq actors, imported before a broker is activated."""

import asta.notifications.jobs
import asta.profiles.jobs  # noqa: F401
