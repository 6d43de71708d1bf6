"""The second factor's refusals; asta.core.errors maps them by their base class."""

from __future__ import annotations

from asta.core.errors import NotAuthenticatedError, PermissionDeniedError


class SecondFactorRequiredError(NotAuthenticatedError):
    """The account has a second factor and no code came with the password."""

    code = "second_factor_required"


class SecondFactorInvalidError(NotAuthenticatedError):
    code = "second_factor_invalid"


class SecondFactorEnrolmentRequiredError(PermissionDeniedError):
    """The role needs a second factor and the person has none yet: enrol on the pages."""

    code = "second_factor_enrolment_required"


class SecondFactorPendingError(PermissionDeniedError):
    """A session or token that has not passed the second step asks for something else."""

    code = "second_factor_pending"


class SecondFactorNotEnrolledError(PermissionDeniedError):
    code = "second_factor_not_enrolled"


class SecondFactorMandatoryError(PermissionDeniedError):
    """An area admin or operator may replace the authenticator but not turn it off."""

    code = "second_factor_mandatory"
