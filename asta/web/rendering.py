"""The Jinja environment, the request's language and the context every page shares."""

from __future__ import annotations

from datetime import datetime, timedelta
from html import escape
from pathlib import Path
from typing import Any

from babel import dates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from litestar import MediaType, Request, Response
from litestar.response import Template
from litestar.template.config import TemplateConfig
from litestar.utils.empty import value_or_default
from litestar.utils.scope.state import ScopeState

from asta.core.auth import Principal
from asta.core.clock import utcnow
from asta.web import i18n, labels
from asta.web.demo_texts import own_text
from asta.web.i18n.refusals import render_refusal
from asta.web.navigation import menu_for

TEMPLATES = Path(__file__).resolve().parent / "templates"

AnyRequest = Request[Any, Any, Any]


def principal_of(request: AnyRequest) -> Principal | None:
    user = request.scope.get("user")
    return user if isinstance(user, Principal) else None


def request_locale(request: AnyRequest) -> str:
    """Chosen once per request and kept in its state (error pages need it too)."""
    locale = request.state.get("locale")
    if not isinstance(locale, str):
        principal = principal_of(request)
        locale = i18n.choose_locale(
            user_locale=principal.locale if principal else None,
            cookie=request.cookies.get(i18n.LOCALE_COOKIE),
            accept_language=request.headers.get("accept-language", ""))
        request.state["locale"] = locale
    return locale


def _locale(context: Context) -> str:
    return str(context.get("locale", i18n.DEFAULT_LOCALE))


@pass_context
def _gettext(context: Context, message: str, **values: Any) -> str:
    locale = _locale(context)
    return i18n.gettext(locale, message, **{k: own_text(locale, v) for k, v in values.items()})



@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int, **values: Any) -> str:
    return i18n.ngettext(_locale(context), singular, plural, n, **values)


@pass_context
def _refusal(context: Context, refusal: dict[str, Any]) -> str:
    """A refusal ({code, params}) from the one catalogue, in the page's language."""
    return render_refusal(_locale(context), refusal["code"], refusal.get("params") or {})


def time_left(deadline: datetime | None, locale: str) -> str:
    """How long until a deadline, from the one clock ("1 hour", "45 minutes")."""
    if deadline is None:
        return ""
    left = max(deadline - utcnow(), timedelta(0))
    return str(dates.format_timedelta(left, threshold=1.5, locale=i18n.formatting.babel_locale(
        locale)))


@pass_context
def _period(context: Context, start: datetime, end: datetime) -> str:
    return i18n.formatting.format_period(start, end, _locale(context))


def _filter(function: Any) -> Any:
    @pass_context
    def apply(context: Context, value: Any, *args: Any) -> str:
        return str(function(value, _locale(context), *args))
    return apply


@pass_context
def _own_text(context: Context, value: Any) -> Any:
    """Every printed value passes here (Jinja's finalize)."""
    return own_text(_locale(context), value)


def make_environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True,
                      lstrip_blocks=True, undefined=StrictUndefined, finalize=_own_text)
    env.globals.update(_=_gettext, ngettext=_ngettext, LOCALES=i18n.LOCALES, LABELS=labels.ALL,
                       refusal=_refusal, now=utcnow)
    env.filters.update(
        datetime=_filter(i18n.format_datetime), date=_filter(i18n.format_date),
        time=_filter(i18n.format_time), number=_filter(i18n.format_number),
        money=_filter(i18n.format_money), language_name=_filter(i18n.language_name),
        weekday=_filter(i18n.weekday_name), time_left=_filter(time_left),
        month=_filter(i18n.formatting.format_month),
        period=_period)
    return env


def template_config() -> TemplateConfig[Any]:
    from litestar.plugins.jinja import JinjaTemplateEngine

    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(make_environment()))


def base_context(request: AnyRequest, current: str | None = None) -> dict[str, Any]:
    principal = principal_of(request)
    return {"locale": request_locale(request), "principal": principal,
            "menu": menu_for(request.app, principal, current),
            "current_path": request.url.path,
            "is_htmx": request.headers.get("hx-request") == "true"}


def page(request: AnyRequest, template: str, *, current: str | None = None,
         status_code: int = 200, **context: Any) -> Template:
    # Always HTML: a handler that may also redirect is annotated `Any`, and Litestar would
    # otherwise label its page as the route's default, JSON (a browser then shows raw HTML).
    return Template(template_name=template, context={**base_context(request, current), **context},
                    status_code=status_code, media_type=MediaType.HTML)


def render_response(request: AnyRequest, template: str, *, status_code: int,
                    **context: Any) -> Response[str]:
    """For exception handlers, which must answer with a Response rather than a Template."""
    engine = request.app.template_engine
    assert engine is not None
    csrf = value_or_default(ScopeState.from_scope(request.scope).csrf_token, "")
    html = engine.get_template(template).render(
        **base_context(request), **context, request=request,
        csrf_input=f'<input type="hidden" name="_csrf_token" value="{escape(csrf)}">')
    return Response(html, status_code=status_code, media_type="text/html")
