"""Plain SMTP delivery; the Message-ID is the notification id so receivers can drop repeats."""

from __future__ import annotations

import asyncio
import smtplib
from email.message import EmailMessage

from asta.core.config import get_settings


def _send(to: str, subject: str, body: str, message_id: str) -> None:
    settings = get_settings()
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = f"<{message_id}@asta>"
    message.set_content(body)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=15) as smtp:
        smtp.send_message(message)


async def send_email(to: str, subject: str, body: str, message_id: str) -> None:
    await asyncio.to_thread(_send, to, subject, body, message_id)
