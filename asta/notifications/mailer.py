"""SMTP delivery over one connection per batch; the Message-ID is the notification id, so
receivers can drop a repeat."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from email.charset import QP, Charset
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.utils import formataddr, parseaddr
from html import escape

import aiosmtplib

from asta.core.config import get_settings


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str
    message_id: str
    lang: str | None = None  # the language the body is written in, for the HTML part


class MailRefused(Exception):
    """The server refused this message; `permanent` when retrying cannot help (5xx)."""

    def __init__(self, error: str, *, permanent: bool) -> None:
        super().__init__(error)
        self.permanent = permanent


class MailServerDown(Exception):
    """The server could not be reached or dropped the connection: no message is at fault."""


def _permanent(exc: aiosmtplib.SMTPResponseException | aiosmtplib.SMTPRecipientsRefused) -> bool:
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        return all(refusal.code >= 500 for refusal in exc.recipients)
    return exc.code >= 500


# Quoted-printable keeps Finnish and Swedish text readable in the raw message.
_UTF8 = Charset("utf-8")
_UTF8.header_encoding = _UTF8.body_encoding = QP


def _header(value: str) -> str:
    """A header value on one line, encoded (RFC 2047) only where it is not ASCII."""
    value = " ".join(value.splitlines())
    return value if value.isascii() else Header(value, _UTF8).encode()


def _text(text: str, subtype: str) -> MIMENonMultipart:
    part = MIMENonMultipart("text", subtype)
    part.set_payload(text if text.endswith("\n") else text + "\n", _UTF8)  # a last line ends
    return part


def message_of(mail: Mail, sender: str) -> MIMEMultipart:
    """The e-mail: plain text and the same as HTML. Built with the `email.mime` classes: the
    header registry of `EmailMessage` took four times as long, 40 % of a worker's time
    while it sent a backlog."""
    message = MIMEMultipart("alternative")
    message["From"] = formataddr(parseaddr(sender), "utf-8")
    message["To"] = _header(mail.to)
    message["Subject"] = _header(mail.subject)
    message["Message-ID"] = f"<{mail.message_id}@asta>"
    message.attach(_text(mail.body, "plain"))
    message.attach(_text(html_of(mail.body, mail.lang), "html"))
    return message


class Mailer:
    def __init__(self, smtp: aiosmtplib.SMTP, sender: str) -> None:
        self._smtp, self._sender = smtp, sender

    async def send(self, mail: Mail) -> None:
        message = message_of(mail, self._sender)
        try:
            await self._smtp.send_message(message)
        except (aiosmtplib.SMTPRecipientsRefused, aiosmtplib.SMTPDataError,
                aiosmtplib.SMTPSenderRefused) as exc:
            raise MailRefused(str(exc), permanent=_permanent(exc)) from exc
        except (OSError, aiosmtplib.SMTPException) as exc:
            raise MailServerDown(f"{type(exc).__name__}: {exc}") from exc


_URL = re.compile(r"(https?://[^\s<]+)")


def html_of(text: str, lang: str | None = None) -> str:
    """The HTML part from the plain text: paragraphs at blank lines, addresses as links; `lang`
    lets screen readers read it in its own language."""
    paragraphs = []
    for block in text.split("\n\n"):
        lines = [_URL.sub(r'<a href="\1">\1</a>', escape(line, quote=False))
                 for line in block.splitlines()]
        paragraphs.append("<p>" + "<br>\n".join(lines) + "</p>")
    html = f'<html lang="{escape(lang)}">' if lang else "<html>"
    return (f'<!doctype html>\n{html}<head><meta charset="utf-8"></head>\n<body>\n'
            + "\n".join(paragraphs) + "\n</body></html>\n")


@asynccontextmanager
async def mailer() -> AsyncIterator[Mailer]:
    """One SMTP connection; MailServerDown when it cannot be opened."""
    settings = get_settings()
    smtp = aiosmtplib.SMTP(hostname=settings.smtp_host, port=settings.smtp_port, timeout=15,
                           start_tls=False)
    try:
        await smtp.connect()
    except (OSError, aiosmtplib.SMTPException) as exc:
        raise MailServerDown(f"{type(exc).__name__}: {exc}") from exc
    try:
        yield Mailer(smtp, settings.mail_from)
    finally:
        if smtp.is_connected:
            try:
                await smtp.quit()
            except (OSError, aiosmtplib.SMTPException):
                smtp.close()
