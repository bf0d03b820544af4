"""Use cases: async, one transaction each, no Telegram import. `build_services` wires them.

Every service is built once, here, and reached through the `Services` container: by the bot
(bot/app.py keeps it in bot_data), the jobs, the sandbox and the command line
(`open_services`), so no caller builds a service on the spot from a context.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.services.access import AccessService
from bot.services.admin_tasks import AdminTaskService
from bot.services.agencies import AgencyService
from bot.services.bindings import BindingService
from bot.services.context import ServiceContext
from bot.services.conversation import ConversationService
from bot.services.dashboard import DashboardService
from bot.services.directory import DirectoryService
from bot.services.dispatch import DispatchService
from bot.services.ledger import UpdateLedger
from bot.services.menus import MenuService
from bot.services.notices import NoticeService
from bot.services.onboarding import OnboardingService
from bot.services.outbox import OutboxService
from bot.services.progress import ProgressService
from bot.services.reminders import PauseService, ReminderService
from bot.services.replies import ReplyService
from bot.services.summary import SummaryService
from bot.services.tasks import TaskService
from bot.services.web_auth import WebAuthService
from storage.engine import SessionFactory, make_engine, make_session_factory


@dataclass(frozen=True, slots=True)
class Services:
    ctx: ServiceContext
    access: AccessService
    admin_tasks: AdminTaskService
    agencies: AgencyService
    bindings: BindingService
    tasks: TaskService
    progress: ProgressService
    conversation: ConversationService
    replies: ReplyService
    dispatch: DispatchService
    menus: MenuService
    notices: NoticeService
    directory: DirectoryService
    summary: SummaryService
    reminders: ReminderService
    pause: PauseService
    web_auth: WebAuthService
    dashboard: DashboardService
    onboarding: OnboardingService
    ledger: UpdateLedger
    outbox: OutboxService


def build_services(session_factory: SessionFactory, clock: Clock, settings: Settings) -> Services:
    ctx = ServiceContext(session_factory=session_factory, clock=clock, settings=settings)
    progress = ProgressService(ctx)
    conversation = ConversationService(ctx)
    return Services(
        ctx=ctx,
        access=AccessService(ctx),
        admin_tasks=AdminTaskService(ctx),
        agencies=AgencyService(ctx),
        bindings=BindingService(ctx),
        tasks=TaskService(ctx),
        progress=progress,
        conversation=conversation,
        replies=ReplyService(ctx, conversation, progress),
        dispatch=DispatchService(ctx),
        menus=MenuService(ctx),
        notices=NoticeService(ctx),
        directory=DirectoryService(ctx),
        summary=SummaryService(ctx),
        reminders=ReminderService(ctx),
        pause=PauseService(ctx),
        web_auth=WebAuthService(ctx),
        dashboard=DashboardService(ctx),
        onboarding=OnboardingService(ctx),
        ledger=UpdateLedger(ctx),
        outbox=OutboxService(ctx),
    )


@asynccontextmanager
async def open_services(settings: Settings, clock: Clock | None = None) -> AsyncIterator[Services]:
    """The same services on an engine of their own, disposed after: for the command line,
    which runs without the bot (`build_application` wires the bot's)."""
    engine = make_engine(settings.database_url)
    try:
        yield build_services(make_session_factory(engine), clock or SystemClock(), settings)
    finally:
        await engine.dispose()
