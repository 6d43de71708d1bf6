"""Page handlers, one module per area of the product; each exports HANDLERS."""

from typing import Any

from asta.web.pages import auth, home, pool, profile, shifts, units

PAGE_HANDLERS: list[Any] = [*auth.HANDLERS, *home.HANDLERS, *profile.HANDLERS, *pool.HANDLERS,
                            *shifts.HANDLERS, *units.HANDLERS]
