"""Signing in to the web app by Telegram: the one-time link `/web` gives in a private chat,
the Mini App's initData, the server-side session both open, and who a session's person is.

Secrets (links, session tokens) come from `secrets` and only their SHA-256 is stored
(bot.domain.webauth.digest). A link opens one session, once, within LINK_TTL; an initData is
accepted once (its hash is remembered until it would be too old anyway); both refuse a person
the bot does not know (the permission rule's WEB_SIGN_IN).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain.permissions import Action, web_scope
from bot.domain.webauth import (
    CLOCK_SKEW,
    INIT_DATA_MAX_AGE,
    InitDataProblem,
    digest,
    verify_init_data,
)
from bot.services.access import Identity, Who, who_of
from bot.services.context import ServiceContext
from storage.repositories import people
from storage.repositories import web_sessions as repo
from storage.unit_of_work import UnitOfWork

LINK_TTL = timedelta(minutes=10)
SESSION_TTL = timedelta(hours=12)
MAX_TOKEN_LENGTH = 128


class SignInRefusal(StrEnum):
    STRANGER = "stranger"  # a person the bot does not know (no agency, not an admin)
    LINK_UNUSABLE = "link_unusable"  # unknown, used or expired
    REPLAYED = "replayed"  # this initData was already used
    NO_TOKEN = "no_token"  # the bot runs without a token: initData cannot be checked


@dataclass(frozen=True, slots=True)
class WebSignIn:
    """A session just opened: the token goes in the cookie, never in a log."""

    token: str
    user_id: int
    expires_at: datetime
    via: str


@dataclass(frozen=True, slots=True)
class WebPerson:
    """Who a live session belongs to: their `Who` (scope: `web_scope`) and display name."""

    who: Who
    name: str


class WebAuthService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def issue_link(self, who: Who) -> str | None:
        """A one-time sign-in token for `who`, or None when they may not sign in."""
        if not who.may(Action.WEB_SIGN_IN).allowed:
            return None
        token = secrets.token_urlsafe(32)
        now = self._ctx.now()
        async with self._ctx.uow() as uow:
            await repo.purge_expired(uow, before=now)
            await repo.add_link(
                uow,
                token_hash=digest(token),
                telegram_user_id=who.actor.user_id,
                at=now,
                expires_at=now + LINK_TTL,
            )
        return token

    async def link_is_usable(self, token: str) -> bool:
        if not _plausible(token):
            return False
        async with self._ctx.uow() as uow:
            return await repo.link_is_usable(uow, token_hash=digest(token), at=self._ctx.now())

    async def redeem_link(self, token: str) -> WebSignIn | SignInRefusal:
        """Consume the link and open a session, in one transaction (a refusal writes nothing)."""
        if not _plausible(token):
            return SignInRefusal.LINK_UNUSABLE
        now = self._ctx.now()
        try:
            async with self._ctx.uow() as uow:
                user_id = await repo.use_link(uow, token_hash=digest(token), at=now)
                if user_id is None:
                    return SignInRefusal.LINK_UNUSABLE
                person = await self._person(uow, user_id)
                if not person.who.may(Action.WEB_SIGN_IN).allowed:
                    raise _Rollback(SignInRefusal.STRANGER)
                return await self._open(uow, user_id, via="link", now=now)
        except _Rollback as refusal:
            return refusal.reason

    async def sign_in_miniapp(self, init_data: str) -> WebSignIn | SignInRefusal | InitDataProblem:
        """Verify Telegram's initData, refuse a replay, and open a session for its user."""
        token = self._ctx.settings.telegram_bot_token
        if not token:
            return SignInRefusal.NO_TOKEN
        now = self._ctx.now()
        checked = verify_init_data(init_data, token, now=now)
        if isinstance(checked, InitDataProblem):
            return checked
        async with self._ctx.uow() as uow:
            person = await self._person(uow, checked.user_id)
            if not person.who.may(Action.WEB_SIGN_IN).allowed:
                return SignInRefusal.STRANGER
            fresh = await repo.remember_init_data(
                uow,
                hash=checked.hash,
                telegram_user_id=checked.user_id,
                at=now,
                expires_at=checked.auth_date + INIT_DATA_MAX_AGE + CLOCK_SKEW,
            )
            if not fresh:
                return SignInRefusal.REPLAYED
            return await self._open(uow, checked.user_id, via="miniapp", now=now)

    async def person(self, session_token: str) -> WebPerson | None:
        """Who the session belongs to now (memberships read afresh: a focal point removed from
        their agency loses its pages at once), or None for no live session."""
        if not _plausible(session_token):
            return None
        async with self._ctx.uow() as uow:
            user_id = await repo.session_user(
                uow, token_hash=digest(session_token), at=self._ctx.now()
            )
            if user_id is None:
                return None
            return await self._person(uow, user_id)

    async def sign_out(self, session_token: str) -> None:
        if not _plausible(session_token):
            return
        async with self._ctx.uow() as uow:
            await repo.end_session(uow, token_hash=digest(session_token), at=self._ctx.now())

    async def _person(self, uow: UnitOfWork, user_id: int) -> WebPerson:
        found = await people.who_and_where(uow, telegram_user_id=user_id, chat_id=user_id)
        stored = await people.get_person(uow, telegram_user_id=user_id)
        name = stored.display_name if stored else ""
        scope = web_scope(user_id)
        identity = Identity(user_id, name, scope.chat_id, scope.chat_type)
        return WebPerson(who_of(self._ctx.settings, identity, found), name)

    async def _open(self, uow: UnitOfWork, user_id: int, *, via: str, now: datetime) -> WebSignIn:
        token = secrets.token_urlsafe(32)
        expires_at = now + SESSION_TTL
        await repo.add_session(
            uow,
            token_hash=digest(token),
            telegram_user_id=user_id,
            via=via,
            at=now,
            expires_at=expires_at,
        )
        return WebSignIn(token, user_id, expires_at, via)


class _Rollback(Exception):
    """Leave a unit of work by rolling it back (a link consumed by a stranger stays unused)."""

    def __init__(self, reason: SignInRefusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


def _plausible(token: str) -> bool:
    return 0 < len(token) <= MAX_TOKEN_LENGTH and token.isascii()
