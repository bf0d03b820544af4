"""`create_app`: the routes (web/routes.py says who may open each), the static files, the
safety middleware, and, when given, Telegram's webhook on the same port."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot.services import Services
from web.routes import ROUTES
from web.security import SafetyMiddleware
from web.state import STATIC, WebState, make_templates
from web.webhook import WebhookTarget, webhook_endpoint

__all__ = ["WebhookTarget", "create_app"]


async def health(request: Any) -> Response:
    """For the proxy's health check: no data, no session needed."""
    return PlainTextResponse("ok")


def create_app(services: Services, bot: Any, *, webhook: WebhookTarget | None = None) -> Starlette:
    """The ASGI app. `bot` (a telegram.Bot, already initialised) sends the form's
    confirmations and fetches evidence files; `webhook` adds Telegram's endpoint."""
    settings = services.ctx.settings
    routes: list[Any] = [
        Route(r.path, r.endpoint, methods=list(r.methods), name=r.name) for r in ROUTES
    ]
    routes.append(Route("/healthz", health, methods=["GET"]))
    if webhook is not None:
        routes.append(Route(webhook.path, webhook_endpoint(webhook), methods=["POST"]))
    routes.append(Mount("/static", StaticFiles(directory=STATIC), name="static"))
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(
                SafetyMiddleware,
                upload_limit=settings.max_upload_mb * 1024 * 1024,
                webhook_path=webhook.path if webhook else None,
            )
        ],
    )
    app.state.web = WebState(
        services=services, bot=bot, settings=settings, templates=make_templates()
    )
    return app
