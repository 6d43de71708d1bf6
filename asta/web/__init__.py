"""Server-rendered pages for professionals, schedulers and area admins."""

from asta.web.plugin import WebPlugin

__all__ = ["WebPlugin"]
