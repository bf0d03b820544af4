"""/web: a one-time link to the web app (the office's dashboard, the focal point's form),
given only in a private chat, only to a person the bot knows, valid ten minutes."""

from __future__ import annotations

from telegram import LinkPreviewOptions, Update

from handlers.base import BotContext, reply, texts, who


async def web_command(update: Update, context: BotContext) -> None:
    t = texts(update, context)
    chat = update.effective_chat
    if chat is None or chat.type != "private":
        await reply(update, t.t("web.link_private_only"))
        return
    base = context.services.ctx.settings.web_base_url
    if not base:
        await reply(update, t.t("web.link_not_configured"))
        return
    person = await who(update, context)
    token = await context.services.web_auth.issue_link(person)
    if token is None:
        await reply(update, t.t("web.link_stranger"))
        return
    # No preview: Telegram's preview fetcher would open the page (it consumes nothing: a GET
    # only shows the sign-in button), and the link is the person's alone.
    await reply(
        update,
        t.t("web.link_message", url=f"{base}/login/{token}"),
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )
