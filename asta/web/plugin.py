"""Mounts the pages on the app: templates, static files, and a router whose forms are
CSRF-protected. The JSON API under /api/ is outside this router; asta.core.api_policy
protects its cookie-authenticated calls with the same token."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Request, Response, Router
from litestar.config.app import AppConfig
from litestar.exceptions import HTTPException, MethodNotAllowedException, NotFoundException
from litestar.middleware.base import DefineMiddleware
from litestar.middleware.csrf import CSRFMiddleware
from litestar.plugins import InitPluginProtocol
from litestar.static_files import create_static_files_router

from asta.core.csrf import csrf_config
from asta.web.pages import PAGE_HANDLERS
from asta.web.pages.errors import HANDLERS as ERROR_HANDLERS
from asta.web.pages.errors import http_error
from asta.web.pages.second_factor import EXCEPTION_HANDLERS as SECOND_STEP_HANDLERS
from asta.web.rendering import template_config

STATIC = Path(__file__).resolve().parent / "static"


def pages_router() -> Router:
    return Router(path="/", route_handlers=PAGE_HANDLERS, include_in_schema=False,
                  middleware=[DefineMiddleware(CSRFMiddleware, config=csrf_config())],
                  exception_handlers={**ERROR_HANDLERS, **SECOND_STEP_HANDLERS})


API_PREFIXES = ("/api", "/schema", "/health", "/static")


def _pages_or_api(api_handler: Any) -> Any:
    """A URL no route matches: outside the API a person typed or followed it, so they get
    the app's page in their language; API clients keep their JSON."""
    def handle(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
        if request.url.path.startswith(API_PREFIXES):
            return api_handler(request, exc)  # type: ignore[no-any-return]
        return http_error(request, exc)
    return handle


class WebPlugin(InitPluginProtocol):
    """`Litestar(plugins=[WebPlugin()])` serves the pages next to the API."""

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        app_config.template_config = template_config()
        handlers = app_config.exception_handlers
        for unmatched in (NotFoundException, MethodNotAllowedException):
            handlers[unmatched] = _pages_or_api(handlers.get(unmatched) or handlers[HTTPException])
        static: Any = create_static_files_router(
            path="/static/web", directories=[STATIC], include_in_schema=False, name="web-static",
            cache_control=None)
        app_config.route_handlers.extend([pages_router(), static])
        return app_config
