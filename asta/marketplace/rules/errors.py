"""The one error the pure rules raise; the web layer maps it to HTTP 422."""

from __future__ import annotations


class RuleError(ValueError):
    """Input that no rule can evaluate; `field` names the offending input for the API."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

    def __repr__(self) -> str:
        return f"RuleError(field={self.field!r}, message={self.message!r})"
