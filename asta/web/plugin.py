"""Mounts the pages on the app: templates, static files, and a router whose forms are
CSRF-protected. The JSON API under /api/ is outside this router; asta.core.api_policy
protects its cookie-authenticated calls with the same token."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Router
from litestar.config.app import AppConfig
from litestar.middleware.base import DefineMiddleware
from litestar.middleware.csrf import CSRFMiddleware
from litestar.plugins import InitPluginProtocol
from litestar.static_files import create_static_files_router

from asta.core.csrf import csrf_config
from asta.web.pages import PAGE_HANDLERS
from asta.web.pages.errors import HANDLERS as ERROR_HANDLERS
from asta.web.pages.second_factor import EXCEPTION_HANDLERS as SECOND_STEP_HANDLERS
from asta.web.rendering import template_config

STATIC = Path(__file__).resolve().parent / "static"


def pages_router() -> Router:
    return Router(path="/", route_handlers=PAGE_HANDLERS, include_in_schema=False,
                  middleware=[DefineMiddleware(CSRFMiddleware, config=csrf_config())],
                  exception_handlers={**ERROR_HANDLERS, **SECOND_STEP_HANDLERS})


class WebPlugin(InitPluginProtocol):
    """`Litestar(plugins=[WebPlugin()])` serves the pages next to the API."""

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        app_config.template_config = template_config()
        static: Any = create_static_files_router(
            path="/static/web", directories=[STATIC], include_in_schema=False, name="web-static",
            cache_control=None)
        app_config.route_handlers.extend([pages_router(), static])
        return app_config
