"""Every module that declares Dramatiq actors, imported before a broker is activated."""

import asta.marketplace.jobs
import asta.notifications.jobs
import asta.payments.jobs
import asta.profiles.jobs
import asta.push.jobs
import asta.scheduling.jobs
import asta.surveys.jobs  # noqa: F401
