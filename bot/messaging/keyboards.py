"""Every inline keyboard the bot sends: the one place that writes callback data.

Each button carries `Act:id` (bot/domain/callback_data.py); what a press may do is decided
again when it is pressed (handlers/routes.py). Labels come from the text catalogue.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, MenuButtonWebApp, WebAppInfo

from bot.domain.callback_data import Act, encode
from bot.domain.reminders import ReminderKind
from bot.domain.report_filter import ReportFilter, filter_args, overdue_token
from bot.messaging.format import shorten, task_excerpt
from bot.messaging.layout import LABEL_CHARS, MAX_BUTTONS
from bot.messaging.texts import Texts
from bot.services.agencies import AgencyRef
from bot.services.reminders import ReminderItem
from bot.services.tasks import TaskLine

PERCENT_CHOICES = (25, 50, 75)
BUTTONS_PER_ROW = 4  # task codes, bindings: four short buttons fit a phone's width
MAX_PICKS = MAX_BUTTONS
TASK_LABEL = LABEL_CHARS[1]  # a button alone on its row: its number, code and first words


def _button(label: str, action: Act, *args: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=encode(action, *args))


def _rows(buttons: list[InlineKeyboardButton], per_row: int) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + per_row] for i in range(0, len(buttons), per_row)]


# --- progress: cards, reminders, confirmations ------------------------------------------------


def progress_keyboard(
    t: Texts,
    assignment_id: int,
    *,
    more: bool = False,
    form: InlineKeyboardButton | None = None,
) -> InlineKeyboardMarkup:
    """The four buttons on every task card (✅ 🔄 ⚠️ 📅), "Xem thêm" when the card had to
    leave part of the task's text or history out, and 📱 Mở biểu mẫu when given (at most
    six: within the phone's budget)."""
    rows = [
        [
            _button(t.t("progress.btn_done"), Act.DONE, assignment_id),
            _button(t.t("progress.btn_in_progress"), Act.PROG, assignment_id),
        ],
        [
            _button(t.t("progress.btn_blocked"), Act.BLOCK, assignment_id),
            _button(t.t("progress.btn_extension"), Act.EXT, assignment_id),
        ],
    ]
    if more:
        rows.append([_button(t.t("tasks.btn_more"), Act.FULL, assignment_id)])
    if form is not None:
        rows.append([form])
    return InlineKeyboardMarkup(rows)


def more_keyboard(t: Texts, assignment_id: int) -> InlineKeyboardMarkup:
    """Only "Xem thêm", under a closed task's card (nothing left to report)."""
    return InlineKeyboardMarkup([[_button(t.t("tasks.btn_more"), Act.FULL, assignment_id)]])


# --- the web app's form (Mini App) -------------------------------------------------------------


def form_button(
    t: Texts,
    web_base_url: str | None,
    *,
    private: bool,
    bot_username: str | None,
    assignment_id: int | None = None,
) -> InlineKeyboardButton | None:
    """📱 Mở biểu mẫu: the one place this button is made (task cards, digests), or None when
    the web app is off (no WEB_BASE_URL).

    Telegram allows a web_app button only in a private chat: there it opens the form (at the
    task, if one is named) as a Mini App, signed in by Telegram. In a group it is a link to the
    bot's main Mini App (`t.me/<bot>?startapp`, set in @BotFather to WEB_BASE_URL/app), which
    opens the same form."""
    if not web_base_url:
        return None
    label = t.t("web.btn_open_form")
    if private:
        path = f"/app/tasks/{assignment_id}" if assignment_id else "/app"
        return InlineKeyboardButton(label, web_app=WebAppInfo(url=web_base_url + path))
    if not bot_username:
        return None
    start = f"t{assignment_id}" if assignment_id else "form"
    return InlineKeyboardButton(label, url=f"https://t.me/{bot_username}?startapp={start}")


def form_menu_button(t: Texts, web_base_url: str) -> MenuButtonWebApp:
    """The bot's menu button (beside the message field of every private chat): the form."""
    return MenuButtonWebApp(t.t("web.menu_button"), WebAppInfo(url=web_base_url + "/app"))


def percent_keyboard(t: Texts, assignment_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                _button(t.t("progress.btn_percent", percent=p), Act.PCT, assignment_id, p)
                for p in PERCENT_CHOICES
            ]
        ]
    )


def undo_keyboard(t: Texts, update_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(t.t("progress.btn_undo"), Act.UNDO, update_id)]])


def which_task_keyboard(linked: Sequence[int], *, numbered: bool = True) -> InlineKeyboardMarkup:
    """ "Which task?" under a reply to a digest: one button per line, numbered like it (a
    digest part has at most six tasks, so every line has its button); under a report that
    replied to nothing, the agency's open tasks by code."""
    buttons = [
        _button(f"{n}. #{aid}" if numbered else f"#{aid}", Act.PICK, aid)
        for n, aid in enumerate(linked[:MAX_PICKS], 1)
    ]
    return InlineKeyboardMarkup(_rows(buttons, 3))


def completion_keyboard(t: Texts, assignment_id: int) -> InlineKeyboardMarkup:
    """The office confirms a reported completion, or returns it."""
    return InlineKeyboardMarkup(
        [
            [
                _button(t.t("progress.btn_confirm"), Act.CONF, assignment_id),
                _button(t.t("progress.btn_return"), Act.RET, assignment_id),
            ]
        ]
    )


def extension_keyboard(
    t: Texts, request_id: int, *, proposal: bool = False
) -> InlineKeyboardMarkup:
    """The office approves or refuses an extension request, or a deadline an agency proposed
    for a task that has none (R8), each in its own words: the proposal's longer label takes
    a row of its own (two to a row, a phone cuts it)."""
    approve = _button(
        t.t("progress.btn_approve_proposal" if proposal else "progress.btn_approve"),
        Act.XOK,
        request_id,
    )
    refuse = _button(t.t("progress.btn_refuse"), Act.XNO, request_id)
    return InlineKeyboardMarkup([[approve], [refuse]] if proposal else [[approve, refuse]])


def remind_now_keyboard(t: Texts, day: date) -> InlineKeyboardMarkup:
    """/nhacngay on a day off: send the next working day's reminders now, or not."""
    stamp = day.year * 10000 + day.month * 100 + day.day
    return InlineKeyboardMarkup(
        [
            [
                _button(t.t("remind.btn_send_now"), Act.RNOW, stamp),
                _button(t.t("remind.btn_not_now"), Act.RNOW, 0),
            ]
        ]
    )


def rebind_keyboard(t: Texts, request_id: int) -> InlineKeyboardMarkup:
    """The office agrees to move a bound group to another agency, or keeps it."""
    return InlineKeyboardMarkup(
        [
            [
                _button(t.t("bind.btn_rebind_ok"), Act.RBOK, request_id),
                _button(t.t("bind.btn_rebind_no"), Act.RBNO, request_id),
            ]
        ]
    )


def reassign_keyboard(
    t: Texts, assignment_id: int, proposed: AgencyRef | None
) -> InlineKeyboardMarkup:
    """The office's choice when an agency says a task is not theirs: to the agency it named
    (/giaolai's own button) or keep it where it is."""
    row = [_button(t.t("replies.btn_keep"), Act.RKEEP, assignment_id)]
    if proposed is not None:
        label = shorten(t.t("replies.btn_reassign_to", agency=proposed.name), LABEL_CHARS[1])
        return InlineKeyboardMarkup([[_button(label, Act.REASG, assignment_id, proposed.id)], row])
    return InlineKeyboardMarkup([row])


# --- the task list -----------------------------------------------------------------------------


def task_list_keyboard(
    t: Texts, chunk: Sequence[TaskLine], *, page: int, pages: int, filter_token: str
) -> InlineKeyboardMarkup:
    """A button per task on the page (opens its card), then previous/next page."""
    rows = _rows(
        [_button(line.code, Act.CARD, line.assignment_id) for line in chunk], BUTTONS_PER_ROW
    )
    nav = []
    if page > 1:
        nav.append(_button(t.t("tasks.btn_prev"), Act.LIST, page - 1, filter_token))
    if page < pages:
        nav.append(_button(t.t("tasks.btn_next"), Act.LIST, page + 1, filter_token))
    if nav:
        rows.append(nav)
    return InlineKeyboardMarkup(rows)


# --- reminders and the notice of assignment ------------------------------------------------------


def task_button_label(n: int, assignment_id: int, text: str, *, restricted: bool) -> str:
    """ "2 · #16 Chủ trì, phối hợp…": the line's number, the task's code and its first words,
    so two buttons are never told apart by a digit alone (a restricted task: no words)."""
    code = f"{n} · #{assignment_id}"
    return code if restricted else task_excerpt(code, text, TASK_LABEL)


def digest_keyboard(
    t: Texts, items: Sequence[ReminderItem], *, form: InlineKeyboardButton | None = None
) -> InlineKeyboardMarkup:
    """One button per line of an agency's digest, opening that task's card (✅ 🔄 ⚠️ 📅),
    then 👍 for each notice not yet acknowledged, then 📱 Mở biểu mẫu when given
    (`form_button`). The digest's parts are cut so that all of them fit the budget."""
    rows = [
        [
            _button(
                task_button_label(n, item.assignment_id, item.text, restricted=item.restricted),
                Act.CARD,
                item.assignment_id,
            )
        ]
        for n, item in enumerate(items, start=1)
    ]
    notices = {
        item.notice_id: item.notice_number
        for item in items
        if item.kind == ReminderKind.ACK_NUDGE and item.notice_id
    }
    for notice_id, number in notices.items():
        rows.append([ack_button(t, items[0].reminder.agency_id, notice_id, number)])
    if form is not None:
        rows.append([form])
    return InlineKeyboardMarkup(rows)


def overdue_more_keyboard(t: Texts, total: int) -> InlineKeyboardMarkup:
    """Under the office's escalations when they did not all fit: the whole overdue list."""
    return InlineKeyboardMarkup([[_button(t.t("remind.btn_more", n=total), Act.OPEN, "od")]])


def ack_keyboard(t: Texts, agency_id: int, notice_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[ack_button(t, agency_id, notice_id)]])


def ack_button(
    t: Texts, agency_id: int, notice_id: int, notice_number: str | None = None
) -> InlineKeyboardButton:
    label = (
        t.t("remind.btn_ack_notice", notice=shorten(notice_number, 20))
        if notice_number
        else t.t("remind.btn_ack")
    )
    return _button(label, Act.ACK, agency_id, notice_id)


# --- the office's tools ----------------------------------------------------------------------------


def cancel_task_keyboard(t: Texts, assignment_id: int) -> InlineKeyboardMarkup:
    """/huynv asks before cancelling: 🚫 cancel it, or keep it."""
    return InlineKeyboardMarkup(
        [
            [
                _button(t.t("admin.btn_cancel_task"), Act.XCAN, assignment_id),
                _button(t.t("admin.btn_keep_task"), Act.KEEP, assignment_id),
            ]
        ]
    )


def unbind_keyboard(
    t: Texts, binding_ids: Sequence[int], *, first: int = 1, page: int = 1, pages: int = 1
) -> InlineKeyboardMarkup:
    """/ganket: one "remove n" button per binding on the page, numbered like the list, then
    previous/next page."""
    buttons = [
        _button(t.t("bind.remove_button", n=n), Act.UNBIND, binding_id)
        for n, binding_id in enumerate(binding_ids, start=first)
    ]
    rows = _rows(buttons, BUTTONS_PER_ROW)
    nav = []
    if page > 1:
        nav.append(_button(t.t("tasks.btn_prev"), Act.BPAGE, page - 1))
    if page < pages:
        nav.append(_button(t.t("tasks.btn_next"), Act.BPAGE, page + 1))
    return InlineKeyboardMarkup(rows + ([nav] if nav else []))


def pages_keyboard(t: Texts, action: Act, *, page: int, pages: int) -> InlineKeyboardMarkup | None:
    """◀️ Trước / Sau ▶️ under a list that takes more than one screen (`<action>:<page>`)."""
    nav = []
    if page > 1:
        nav.append(_button(t.t("tasks.btn_prev"), action, page - 1))
    if page < pages:
        nav.append(_button(t.t("tasks.btn_next"), action, page + 1))
    return InlineKeyboardMarkup([nav]) if nav else None


def issue_invites_keyboard(t: Texts, notice_id: int, unbound: int) -> InlineKeyboardMarkup:
    """Under a saved notice: codes and the printable kit for its agencies without a group."""
    label = t.t("onboard.btn_issue", n=unbound)
    return InlineKeyboardMarkup([[_button(label, Act.INVN, notice_id)]])


def boarding_keyboard(
    t: Texts, *, unbound: int, bindings: int, page: int, pages: int
) -> InlineKeyboardMarkup | None:
    """/ganket's overview: new codes (and the kit) for every agency not on board, the pages
    of that list, and the bound groups (the list with 🗑)."""
    rows = []
    if unbound:
        rows.append([_button(t.t("onboard.btn_reissue", n=unbound), Act.INVA)])
        rows.append([_button(t.t("onboard.btn_pick"), Act.OPICK, page)])
    nav = []
    if page > 1:
        nav.append(_button(t.t("tasks.btn_prev"), Act.OPAGE, page - 1))
    if page < pages:
        nav.append(_button(t.t("tasks.btn_next"), Act.OPAGE, page + 1))
    if nav:
        rows.append(nav)
    if bindings:
        rows.append([_button(t.t("onboard.btn_bindings", n=bindings), Act.BPAGE, 1)])
    return InlineKeyboardMarkup(rows) if rows else None


def reissue_pick_keyboard(t: Texts, agencies: Sequence[AgencyRef]) -> InlineKeyboardMarkup:
    """/ganket's 🎫 for one agency: the page's agencies not on board, one button each."""
    return InlineKeyboardMarkup(
        [
            [
                _button(
                    t.t("onboard.btn_one", agency=shorten(a.name, TASK_LABEL - 3)), Act.REINV, a.id
                )
            ]
            for a in agencies[:MAX_BUTTONS]
        ]
    )


# --- agencies picked by a tap ---------------------------------------------------------------


def agency_choices_keyboard(
    action: Act, candidates: Sequence[AgencyRef], *args: object
) -> InlineKeyboardMarkup:
    """A name that matched several agencies: one button per candidate (at most six), each
    doing what the command asked for that agency (`action:<args>:<agency>`, or for the task
    list `list:1:a<agency>`)."""
    rows = []
    for agency in candidates[:MAX_BUTTONS]:
        label = shorten(agency.name, TASK_LABEL)
        if action is Act.LIST:
            rows.append([_button(label, Act.OPEN, f"a{agency.id}")])
        else:
            rows.append([_button(label, action, *args, agency.id)])
    return InlineKeyboardMarkup(rows)


def draft_keyboard(t: Texts, draft_id: int, groups: Sequence[str] = ()) -> InlineKeyboardMarkup:
    """Under an import preview: Lưu, Hủy, its tasks and its agencies page by page, and ❓ for
    each of the first two groups without a member list (its question: define the group, pick
    agencies for this notice, or skip it; the preview is redone)."""
    rows = [
        [
            _button(t.t("import.btn_save"), Act.IMP, "s", draft_id),
            _button(t.t("import.btn_cancel"), Act.IMP, "c", draft_id),
        ],
        [
            _button(t.t("import.btn_view"), Act.IMP, "v", draft_id, 1),
            _button(t.t("import.btn_agencies"), Act.IMP, "a", draft_id, 1),
        ],
    ]
    for index, name in enumerate(groups[:2]):
        label = t.t("import.btn_group", name=shorten(name, 19))
        rows.append([_button(label, Act.IMP, "q", draft_id, index)])
    return InlineKeyboardMarkup(rows)


def group_question_keyboard(t: Texts, draft_id: int, index: int) -> InlineKeyboardMarkup:
    """Under a group's question: 👥 define it (the directory), ☑️ pick agencies for this
    notice only, ⏭ skip it in this notice."""
    return InlineKeyboardMarkup(
        [
            [_button(t.t("import.btn_group_define"), Act.IMP, "g", draft_id, index)],
            [_button(t.t("import.btn_group_pick"), Act.IMP, "o", draft_id, index, 1)],
            [_button(t.t("import.btn_group_skip"), Act.IMP, "k", draft_id, index)],
        ]
    )


PICK_PAGE = 3  # agencies per page: with ◀️ ▶️ and ✅ Xong, six buttons


def pick_keyboard(
    t: Texts,
    draft_id: int,
    index: int,
    page_agencies: Sequence[tuple[int, str]],
    picked: Sequence[int],
    *,
    page: int,
    pages: int,
) -> InlineKeyboardMarkup:
    """ "Chọn đơn vị": a toggle per agency of the page (✅ when picked), then ◀️ ✅ Xong ▶️."""
    rows = [
        [
            _button(
                ("✅ " if agency_id in picked else "") + shorten(name, TASK_LABEL - 2),
                Act.IMP,
                "t",
                draft_id,
                index,
                agency_id,
                page,
            )
        ]
        for agency_id, name in page_agencies
    ]
    nav = []
    if page > 1:
        nav.append(_button("◀️", Act.IMP, "p", draft_id, index, page - 1))
    if page < pages:
        nav.append(_button("▶️", Act.IMP, "p", draft_id, index, page + 1))
    done = _button(t.t("import.btn_pick_done", n=len(picked)), Act.IMP, "d", draft_id, index)
    return InlineKeyboardMarkup([*rows, *([nav] if nav else []), [done]])


def draft_page_keyboard(
    t: Texts, draft_id: int, *, page: int, pages: int, view: str = "v"
) -> InlineKeyboardMarkup:
    """Under a page of a previewed notice's tasks (``v``) or agencies (``a``): ◀️ ▶️, then
    Lưu and Hủy."""
    nav = []
    if page > 1:
        nav.append(_button("◀️", Act.IMP, view, draft_id, page - 1))
    if page < pages:
        nav.append(_button("▶️", Act.IMP, view, draft_id, page + 1))
    save = [
        _button(t.t("import.btn_save"), Act.IMP, "s", draft_id),
        _button(t.t("import.btn_cancel"), Act.IMP, "c", draft_id),
    ]
    return InlineKeyboardMarkup([row for row in (nav, save) if row])


def help_keyboard(t: Texts, *, page: int, pages: int) -> InlineKeyboardMarkup | None:
    """◀️ ▶️ under a help that takes more than one screen."""
    nav = []
    if page > 1:
        nav.append(_button(t.t("tasks.btn_prev"), Act.HELP, page - 1))
    if page < pages:
        nav.append(_button(t.t("help.btn_more"), Act.HELP, page + 1))
    return InlineKeyboardMarkup([nav]) if nav else None


# --- the roll-up ------------------------------------------------------------------------------


def summary_keyboard(t: Texts, scope: ReportFilter | None = None) -> InlineKeyboardMarkup:
    """Under the office's digest: the overdue tasks in full, the Excel appendix, the Word
    report (what the phone-sized digest leaves out). The three carry the digest's filter, so
    they hold exactly what the message shows."""
    fields = filter_args(scope or ReportFilter())
    return InlineKeyboardMarkup(
        [
            [_button(t.t("summary.btn_overdue"), Act.OPEN, overdue_token(scope or ReportFilter()))],
            [
                _button(t.t("summary.btn_xlsx"), Act.REP, "x", *fields),
                _button(t.t("summary.btn_docx"), Act.REP, "w", *fields),
            ],
        ]
    )
