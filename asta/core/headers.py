"""The security headers of every response, set in one place.

A send hook of the application rather than a route middleware: Litestar runs middleware only
for matched routes, and 404s, redirects, static files and the schema pages need the headers
too.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

from asta.core.config import get_settings

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
# Swagger UI sets inline styles; its scripts are all files (see asta.core.swagger).
SWAGGER_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
ALWAYS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# The payout page's form sends the browser on to Stripe's hosted onboarding, and a form's
# redirect must be allowed by form-action too: Stripe's host, or the stand-in's.
PAYOUT_PAGE = "/me/payouts"
STRIPE_ONBOARDING = "https://connect.stripe.com"
HSTS = "max-age=31536000; includeSubDomains"
STATIC_PREFIX = "/static/"  # the only responses that hold no personal data and may be cached


async def security_headers(message: Message, scope: Scope) -> None:
    """A coroutine, so that Litestar calls it on the loop instead of in a worker thread."""
    if message["type"] != "http.response.start":
        return
    headers = MutableScopeHeaders.from_message(message)
    path = scope.get("path", "")
    for name, value in ALWAYS.items():
        headers[name] = value
    headers["Content-Security-Policy"] = csp_for(path)
    if not path.startswith(STATIC_PREFIX):
        headers["Cache-Control"] = "no-store"
    if get_settings().is_production:
        headers["Strict-Transport-Security"] = HSTS
        _secure_cookies(headers)


def csp_for(path: str) -> str:
    if path.startswith("/schema"):
        return SWAGGER_CSP
    if path.startswith(PAYOUT_PAGE):  # also the setup's own error page, which has the form
        api = urlsplit(get_settings().stripe_api_base)
        return f"{CSP} {STRIPE_ONBOARDING} {api.scheme}://{api.netloc}"
    return CSP


def _secure_cookies(headers: MutableScopeHeaders) -> None:
    """Whatever set a cookie, in production it travels over HTTPS only."""
    cookies = headers.getall("set-cookie", [])
    if not cookies:
        return
    del headers["set-cookie"]
    for cookie in cookies:
        secure = any(p.strip().lower() == "secure" for p in cookie.split(";"))
        headers.add("set-cookie", cookie if secure else f"{cookie}; Secure")
