from __future__ import annotations

from asta.core.errors import InvalidInputError, PermissionDeniedError


class EmailNotVerifiedError(PermissionDeniedError):
    """The password was right, but the address has not been confirmed yet."""

    code = "email_not_verified"


class LinkNotValidError(InvalidInputError):
    """An e-mailed link that is unknown, used, revoked or expired: all look the same."""

    code = "link_not_valid"


NOT_VERIFIED = ("Confirm your e-mail address first: open the link we sent you, or ask for a "
                "new one")
LINK_NOT_VALID = "This link has expired or has already been used"
