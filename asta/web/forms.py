"""Form plumbing shared by the pages: raw values kept as typed, and errors named by field.

Input names are the schema's field paths ("certificates.1.expires_on"), so a pydantic error's
location names the input it belongs to without a mapping table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from asta.core.errors import AstaError
from asta.web.i18n import N_, gettext
from asta.web.i18n.service_messages import translate_error, translate_message

FormValues = dict[str, Any]  # input name -> str, or list[str] for multi-valued inputs
Errors = dict[str, str]  # input name -> message; "" for the form as a whole
FORM = ""

_BY_TYPE: dict[str, str] = {
    "missing": N_("Fill in this field."),
    "string_too_short": N_("Too short: at least {min_length} characters."),
    "string_too_long": N_("Too long: at most {max_length} characters."),
    "string_pattern_mismatch": N_("Check the format of this value."),
    "too_long": N_("Too many entries: at most {max_length}."),
    "too_short": N_("Choose at least {min_length}."),
    "greater_than": N_("Must be greater than {gt}."),
    "greater_than_equal": N_("Must be at least {ge}."),
    "less_than": N_("Must be less than {lt}."),
    "less_than_equal": N_("Must be at most {le}."),
    "int_parsing": N_("Enter a whole number."),
    "int_from_float": N_("Enter a whole number."),
    "float_parsing": N_("Enter a number."),
    "date_parsing": N_("Enter a date."),
    "date_from_datetime_parsing": N_("Enter a date."),
    "datetime_parsing": N_("Enter a date and time."),
    "datetime_from_date_parsing": N_("Enter a date and time."),
    "literal_error": N_("Choose one of the options."),
    "uuid_parsing": N_("Choose one of the options."),
    "bool_parsing": N_("Choose yes or no."),
}
_FALLBACK = N_("Check the value.")


def field_name(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc)


def validation_errors(exc: ValidationError, locale: str,
                      rename: Callable[[str], str] = lambda name: name) -> Errors:
    """The first problem of each field, in the page's language."""
    errors: Errors = {}
    for error in exc.errors():
        name = rename(field_name(tuple(error["loc"])))
        if name in errors:
            continue
        context: Mapping[str, Any] = error.get("ctx") or {}
        if error["type"] == "value_error":
            errors[name] = translate_message(locale, str(context.get("error", "")), "invalid_input")
            continue
        template = _BY_TYPE.get(error["type"], _FALLBACK)
        try:
            errors[name] = gettext(locale, template, **{k: str(v) for k, v in context.items()})
        except (KeyError, IndexError):
            errors[name] = gettext(locale, _FALLBACK)
    return errors


def service_errors(exc: AstaError, locale: str,
                   rename: Callable[[str], str] = lambda name: name) -> Errors:
    return {rename(exc.field) if exc.field else FORM: translate_error(locale, exc)}


def text(values: Mapping[str, Any], name: str) -> str:
    value = values.get(name, "")
    return value if isinstance(value, str) else ""


def optional(values: Mapping[str, Any], name: str) -> str | None:
    """Blank inputs mean "not given"."""
    return text(values, name).strip() or None


def tags(value: str) -> list[str]:
    """A comma-separated list as typed, e.g. "triage, remote-consultation"."""
    return [part.strip().lower().replace(" ", "-") for part in value.split(",") if part.strip()]


class FormAttempt:
    """Runs a form's validation and service call; on failure rolls back and keeps the errors.

        async with FormAttempt(db, locale) as attempt:
            saved = await service(...)
        if not attempt.errors:
            return Redirect(...)
    """

    def __init__(self, db: AsyncSession, locale: str,
                 rename: Callable[[str], str] = lambda name: name,
                 rename_service: Callable[[str], str] | None = None) -> None:
        self.db, self.locale = db, locale
        self.rename, self.rename_service = rename, rename_service or rename
        self.errors: Errors = {}

    async def __aenter__(self) -> FormAttempt:
        return self

    async def __aexit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                        _tb: object) -> bool:
        if isinstance(exc, ValidationError):
            self.errors = validation_errors(exc, self.locale, self.rename)
            return True
        if isinstance(exc, AstaError):
            await self.db.rollback()
            self.errors = service_errors(exc, self.locale, self.rename_service)
            return True
        return False


class FormErrors(dict[str, str]):
    """The errors of one of several forms on a page: its inputs' ids start with `id_prefix`
    instead of "f", so two forms with the same inputs never share an id."""

    def __init__(self, errors: Errors, id_prefix: str) -> None:
        super().__init__(errors)
        self.id_prefix = id_prefix
