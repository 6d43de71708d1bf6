"""Caught e-mails as .eml files in one folder, newest kept, oldest dropped past a bound."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from asta.core.clock import utcnow

# Enough for a demo's day of e-mail; a folder that grows without end is its own problem.
KEEP = 500
_NAME = re.compile(r"^[0-9]{20}-[0-9a-f]{32}$")


@dataclass(frozen=True)
class MailSummary:
    id: str
    received_at: datetime
    to: str
    subject: str


@dataclass(frozen=True)
class CaughtMail:
    summary: MailSummary
    sender: str
    text: str | None
    html: str | None


class MailStore:
    def __init__(self, folder: Path, keep: int = KEEP) -> None:
        self.folder, self.keep = folder, keep

    def save(self, raw: bytes) -> str:
        """Store one message; names sort by arrival (its time in ns, then a random tail)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{int(utcnow().timestamp() * 1e6) * 1000:020d}-{uuid.uuid4().hex}"
        partial = self.folder / f"{name}.tmp"
        partial.write_bytes(raw)
        partial.rename(self.folder / f"{name}.eml")  # readers never see half a message
        for old in self._paths()[:-self.keep]:
            old.unlink(missing_ok=True)
        return name

    def _paths(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return sorted(p for p in self.folder.glob("*.eml") if _NAME.match(p.stem))

    def latest(self, limit: int = 100) -> list[MailSummary]:
        return [_summary(p.stem, _parse(p)) for p in reversed(self._paths()[-limit:])]

    def get(self, mail_id: str) -> CaughtMail | None:
        if not _NAME.match(mail_id):  # never a path: ids come from the URL
            return None
        path = self.folder / f"{mail_id}.eml"
        if not path.is_file():
            return None
        message = _parse(path)
        text = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        return CaughtMail(_summary(mail_id, message), str(message.get("From", "")),
                          text.get_content() if text is not None else None,
                          html.get_content() if html is not None else None)


def _parse(path: Path) -> EmailMessage:
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)  # policy.default makes EmailMessage
    return message


def _summary(mail_id: str, message: EmailMessage) -> MailSummary:
    received = datetime.fromtimestamp(int(mail_id[:20]) / 1e9, tz=UTC)
    return MailSummary(mail_id, received, str(message.get("To", "")),
                       str(message.get("Subject", "")))
