"""The one write the pages need that the API does not offer yet: a person's language.

Kept as a service (not in a handler) so an API endpoint can reuse it.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import User
from asta.core.errors import InvalidInputError
from asta.web.i18n import LOCALES


async def set_locale(session: AsyncSession, user_id: uuid.UUID, locale: str) -> None:
    if locale not in LOCALES:
        raise InvalidInputError("Choose fi, sv or en", field="locale")
    user = await session.get(User, user_id)
    if user is not None and user.locale != locale:
        user.locale = locale
        await session.flush()
