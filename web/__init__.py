"""The web app: the office's dashboard and the focal point's form, in a browser and as a
Telegram Mini App (ASGI, Starlette, server-rendered Jinja2 pages, one static script).

Thin like handlers: every read and write goes through bot/services (one unit of work each),
who may see what is bot/domain/permissions.py's, the words are the text catalogue's, and what
goes out to chats is bot/messaging's. `create_app` is called by the composition root
(bot/serve.py): with the Application's bot in webhook mode (the webhook then shares the port),
or with a Bot of its own for `dondoc web` beside a polling bot.
"""

from web.app import WebhookTarget, create_app

__all__ = ["WebhookTarget", "create_app"]
