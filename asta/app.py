"""create_app(): routes, plugins, error handlers. Nothing connects at import time."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import swagger_ui_bundle
from litestar import Litestar
from litestar.config.cors import CORSConfig
from litestar.di import Provide
from litestar.middleware.base import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.static_files import create_static_files_router
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.controllers import (
    AuthController,
    MeController,
    OrganisationController,
    UnitController,
)
from asta.accounts.identity.controllers import InvitationController
from asta.accounts.second_factor_gate import second_factor_gate
from asta.audit_log.controllers import AuditEventController
from asta.core.api_policy import ApiRequestPolicyMiddleware
from asta.core.auth import AuthenticationMiddleware, provide_principal
from asta.core.config import get_settings
from asta.core.db import open_pools, unit_of_work
from asta.core.errors import EXCEPTION_HANDLERS
from asta.core.headers import security_headers
from asta.core.logs import logging_config
from asta.core.swagger import SwaggerWithoutInlineScript
from asta.marketplace.controllers import MARKETPLACE_CONTROLLERS
from asta.metrics.controllers import METRICS_CONTROLLERS
from asta.operations.controllers import OperationsController, health
from asta.payments.controllers import PAYMENT_CONTROLLERS
from asta.profiles.controllers import (
    MyProfileController,
    OnboardingController,
    ProfessionalController,
)
from asta.push.controllers import PushSubscriptionController
from asta.scheduling.controllers import (
    ContactHistoryController,
    DemandPlanningController,
    ForecastRunController,
    MatchingRunController,
)
from asta.surveys.controllers import SURVEY_CONTROLLERS
from asta.web import WebPlugin
from asta.web.i18n.catalogue import LOCALES, catalogue

SWAGGER_ASSETS = Path(swagger_ui_bundle.swagger_ui_path)
PUBLIC_PATHS = ["^/health$", "^/schema", "^/static/"]


async def provide_session() -> AsyncIterator[AsyncSession]:
    """The request's unit of work: commit before the response is sent, roll back on error."""
    async with unit_of_work() as session:
        yield session


ROUTE_HANDLERS: list[Any] = [
    health, OperationsController, AuthController, MeController, OrganisationController, UnitController,
    MyProfileController, ProfessionalController, OnboardingController,
    *MARKETPLACE_CONTROLLERS, *PAYMENT_CONTROLLERS, *METRICS_CONTROLLERS, *SURVEY_CONTROLLERS,
    DemandPlanningController, ContactHistoryController, ForecastRunController,
    MatchingRunController, InvitationController, AuditEventController,
    PushSubscriptionController,
]


def create_app(extra_route_handlers: list[Any] | None = None) -> Litestar:
    openapi = OpenAPIConfig(
        title="Asta API", version="0.1.0", path="/schema",
        description="Gig shifts for Finnish public health care.",
        render_plugins=[
            SwaggerWithoutInlineScript(
                js_url="/static/swagger/swagger-ui-bundle.js",
                css_url="/static/swagger/swagger-ui.css",
                standalone_preset_js_url="/static/swagger/swagger-ui-standalone-preset.js",
                path="/swagger", favicon="<link rel='icon' href='/static/swagger/favicon-32x32.png'>"),
            JsonRenderPlugin(),
        ],
    )
    return Litestar(
        route_handlers=[
            *ROUTE_HANDLERS, *(extra_route_handlers or []),
            create_static_files_router(path="/static/swagger", directories=[SWAGGER_ASSETS],
                                       include_in_schema=False, name="swagger-assets"),
        ],
        dependencies={"db": Provide(provide_session),
                      "principal": Provide(provide_principal, sync_to_thread=False)},
        middleware=[ApiRequestPolicyMiddleware,
                    DefineMiddleware(AuthenticationMiddleware, exclude=PUBLIC_PATHS)],
        exception_handlers=EXCEPTION_HANDLERS,
        guards=[second_factor_gate],  # a session that owes its second step can do only that
        before_send=[security_headers],  # every response, 404s and static files included
        openapi_config=openapi,
        cors_config=CORSConfig(allow_origins=[]),
        plugins=[WebPlugin()],  # server-rendered pages outside /api/ (asta/web)
        logging_config=logging_config(get_settings().log_level),
    )


YOUNG_COLLECTION_EVERY = 10_000


def serving_app() -> Litestar:
    """The app of a serving process, its startup heap set aside from garbage collection.

    The app, its models and their compiled SQL are about 250,000 objects that live as long
    as the process; every full collection walked them all, 300-420 ms with the event loop
    stopped, two or three times in a rush of 500 claims (benchmarks/README_claims.md).
    Frozen, a collection walks only what requests made since. A young collection every
    10,000 allocations instead of 700 finds most of a request's objects already freed,
    rather than promoting them while the request still runs. The pause grows with the
    threshold: at 50,000 each young collection stopped the loop for 10-44 ms of CPU.
    """
    for locale in LOCALES:
        catalogue(locale)  # parsed now, not by the first requests in each language
    application = create_app()
    application.on_startup.append(open_pools)
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, *gc.get_threshold()[1:])
    return application
