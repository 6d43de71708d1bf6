"""What makes Asta an installable app: the manifest, the service worker (from the site's
root, so that its scope is the whole site) and the page it shows offline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Request, Response, get
from litestar.response import Template

from asta.web.i18n import LOCALES, N_, gettext
from asta.web.rendering import page, request_locale

AnyRequest = Request[Any, Any, Any]

SERVICE_WORKER = Path(__file__).resolve().parents[1] / "static" / "sw.js"
THEME = "#0b5394"  # the brand colour (asta.css --brand)
BACKGROUND = "#f6f8fa"
DESCRIPTION = N_("Gig shifts in public health care")
ICONS = [
    {"src": "/static/web/icons/icon-192.png", "sizes": "192x192", "type": "image/png",
     "purpose": "any"},
    {"src": "/static/web/icons/icon-512.png", "sizes": "512x512", "type": "image/png",
     "purpose": "any"},
    {"src": "/static/web/icons/maskable-512.png", "sizes": "512x512", "type": "image/png",
     "purpose": "maskable"},
]


@get("/manifest.webmanifest", name="manifest", include_in_schema=False)
async def manifest(request: AnyRequest, lang: str | None = None) -> Response[dict[str, Any]]:
    # Browsers fetch the manifest without cookies: the page names its language in the link.
    locale = lang if lang in LOCALES else request_locale(request)
    return Response({
        "id": "/", "name": "Asta", "short_name": "Asta", "lang": locale, "dir": "ltr",
        "description": gettext(locale, DESCRIPTION), "start_url": "/", "scope": "/",
        "display": "standalone", "theme_color": THEME, "background_color": BACKGROUND,
        "icons": ICONS,
    }, media_type="application/manifest+json")


@get("/sw.js", name="service_worker", include_in_schema=False)
async def service_worker() -> Response[bytes]:
    # Served by the app from "/", not from /static/: a worker controls only pages under its
    # own path. The security headers' no-store makes browsers check for a new one each time.
    return Response(SERVICE_WORKER.read_bytes(), media_type="text/javascript")


@get("/offline", name="offline", include_in_schema=False)
async def offline(request: AnyRequest, lang: str | None = None) -> Template:
    """Kept by the service worker in each language; shown for a page it cannot fetch.
    Nobody's name or menu is on it: the same copy serves whoever uses the browser next."""
    if lang in LOCALES:
        request.state["locale"] = lang
    return page(request, "offline.html", principal=None, menu=[])


HANDLERS = [manifest, service_worker, offline]
