"""The e-mail as a receiver parses it: both parts, headers in Finnish and Swedish, one line."""

from __future__ import annotations

from email import message_from_bytes
from email.header import decode_header, make_header
from email.message import Message

from asta.notifications.mailer import Mail, message_of

SUBJECT = "Uusi vuoro: Kymenlaakson etävastaanotto, tiistai 8.12. klo 8.00–16.00 (Åbo)"
BODY = "Hei Åsa,\n\nKatso vuoro: https://asta.example/shifts/1\n\nTerveisin Asta"


def _parsed(subject: str = SUBJECT,
            sender: str = "Hyvinvointialue Äänekoski <asta@x.fi>") -> Message:
    raw = message_of(Mail("asa@example.fi", subject, BODY, "abc", "fi"), sender).as_bytes()
    assert raw.isascii()  # quoted-printable and encoded words: any relay takes it
    return message_from_bytes(raw)


def _header(value: object) -> str:
    return str(make_header(decode_header(str(value))))


def test_the_plain_and_html_parts_carry_the_body_in_utf_8() -> None:
    message = _parsed()
    parts = {p.get_content_type(): p for p in message.walk() if not p.is_multipart()}
    assert message.get_content_type() == "multipart/alternative"
    assert set(parts) == {"text/plain", "text/html"}
    plain = parts["text/plain"].get_payload(decode=True)
    html = parts["text/html"].get_payload(decode=True)
    assert isinstance(plain, bytes) and isinstance(html, bytes)
    assert plain.decode("utf-8") == BODY + "\n"
    assert '<html lang="fi">' in html.decode("utf-8") and "Åsa" in html.decode("utf-8")
    assert '<a href="https://asta.example/shifts/1">' in html.decode("utf-8")


def test_headers_that_are_not_ascii_are_encoded_and_read_back_as_written() -> None:
    message = _parsed()
    assert _header(message["Subject"]) == SUBJECT
    assert _header(message["From"]) == "Hyvinvointialue Äänekoski <asta@x.fi>"
    assert message["To"] == "asa@example.fi" and message["Message-ID"] == "<abc@asta>"


def test_a_line_break_in_a_subject_cannot_add_a_header() -> None:
    message = _parsed("Vuoro\r\nBcc: someone@else.example")
    assert message["Bcc"] is None
    assert _header(message["Subject"]) == "Vuoro Bcc: someone@else.example"
