"""/dev/mail: what the development mail catcher received, for the platform operator.

Only while the catcher runs (development without SMTP settings); otherwise not found.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Template

from asta.accounts.models import Role
from asta.core.auth import requires
from asta.core.config import get_settings
from asta.core.errors import NotFoundError
from asta.devmail import MailStore
from asta.web.rendering import page

AnyRequest = Request[Any, Any, Any]
operators_only = requires(Role.PLATFORM_OPERATOR)


def _store() -> MailStore:
    settings = get_settings()
    if not settings.mail_catcher:
        raise NotFoundError("No mail catcher runs here")
    return MailStore(settings.caught_mail_dir)


@get("/dev/mail", name="dev_mail", guards=[operators_only])
async def caught_mail(request: AnyRequest) -> Template:
    store = _store()
    return page(request, "dev_mail.html", current="dev_mail", mails=store.latest(),
                folder=store.folder)


@get("/dev/mail/{mail_id:str}", name="dev_mail_message", guards=[operators_only])
async def caught_message(request: AnyRequest, mail_id: str) -> Template:
    mail = _store().get(mail_id)
    if mail is None:
        raise NotFoundError("No such e-mail")
    return page(request, "dev_mail_message.html", current="dev_mail", mail=mail)


HANDLERS = [caught_mail, caught_message]
