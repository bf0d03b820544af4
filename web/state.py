"""What every request handler reaches: the services, a Bot to send with, the settings and the
templates, kept on `app.state.web` by `create_app`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request

from bot.config import Settings
from bot.services import Services

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"


@dataclass
class WebState:
    services: Services
    bot: Any  # telegram.Bot: sends confirmations and fetches evidence files
    settings: Settings
    templates: Environment


def make_templates() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(("html",)),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def state_of(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state
