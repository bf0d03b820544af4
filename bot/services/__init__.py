"""Use cases: async, one transaction each, no Telegram import. `build_services` wires them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.config import Settings
from bot.services.access import AccessService
from bot.services.admin_tasks import AdminTaskService
from bot.services.agencies import AgencyService
from bot.services.bindings import BindingService
from bot.services.context import ServiceContext
from bot.services.conversation import ConversationService
from bot.services.dispatch import DispatchService
from bot.services.notices import NoticeService
from bot.services.progress import ProgressService
from bot.services.replies import ReplyService
from bot.services.summary import SummaryService
from bot.services.tasks import TaskService


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
    notices: NoticeService
    summary: SummaryService


def build_services(
    session_factory: async_sessionmaker[AsyncSession], clock: Clock, settings: Settings
) -> Services:
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
        notices=NoticeService(ctx),
        summary=SummaryService(ctx),
    )
