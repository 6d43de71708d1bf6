"""The caught-mail folder: newest first, bounded, and no path ever taken from a URL."""

from pathlib import Path

from asta.devmail import MailStore

MULTIPART = (b"From: Asta <no-reply@asta.example>\r\nTo: doctor1@asta.demo\r\nSubject: Vuoro\r\n"
             b"MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n"
             b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nTeksti\r\n"
             b"--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>HTML</p>\r\n--b--\r\n")


def test_keeps_the_latest_and_lists_them_newest_first(tmp_path: Path) -> None:
    store = MailStore(tmp_path, keep=3)
    for n in range(5):
        store.save(f"Subject: {n}\r\n\r\nbody\r\n".encode())
    assert [m.subject for m in store.latest()] == ["4", "3", "2"]
    assert len(list(tmp_path.glob("*.eml"))) == 3


def test_reads_the_text_and_html_parts(tmp_path: Path) -> None:
    store = MailStore(tmp_path)
    mail = store.get(store.save(MULTIPART))
    assert mail is not None
    assert mail.summary.to == "doctor1@asta.demo" and mail.summary.subject == "Vuoro"
    assert mail.text is not None and mail.text.strip() == "Teksti"
    assert mail.html is not None and mail.html.strip() == "<p>HTML</p>"


def test_an_id_that_is_not_one_of_its_names_finds_nothing(tmp_path: Path) -> None:
    (tmp_path / "secret.eml").write_bytes(b"Subject: no\r\n\r\n")
    store = MailStore(tmp_path / "mail")
    assert store.get("../secret") is None
    assert store.get("00000000000000000000-" + "0" * 32) is None
    assert store.latest() == []
