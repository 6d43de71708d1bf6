"""The development mail catcher: in development Asta receives its own e-mails and shows them
to operators at /dev/mail, so nothing is sent and nothing is lost."""

from asta.devmail.catcher import running_mail_catcher
from asta.devmail.store import CaughtMail, MailStore, MailSummary

__all__ = ["CaughtMail", "MailStore", "MailSummary", "running_mail_catcher"]
