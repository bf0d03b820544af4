"""The import preview and its pages: a rendering of the plan Lưu applies, nothing else.

Everything shown comes from the `ImportPlan` stored with the draft (bot.domain.import_plan):
the tasks Lưu creates, changes or drops, each agency under its canonical name and whether it
is new, each group expanded to its members or asked about. The first screen holds the totals
and as many agencies as one phone screen allows; 📋 pages through every task and 🏢 through
every agency with its task codes.
"""

from __future__ import annotations

from bot.domain.import_plan import ImportPlan, PlannedTask
from bot.messaging.format import shorten
from bot.messaging.layout import fits
from bot.messaging.texts import Raw, Texts
from bot.services.notices import Draft, Picking, Saved, dates_text

TASKS_PER_PAGE = 2  # a task takes up to ten lines of a phone
UNUSED_PER_PAGE = 7  # a line not used: its number, why, and its first words
AGENCIES_PER_PAGE = 5
PREVIEW_AGENCIES = 12  # at most; fewer when the preview would not fit one screen


def preview_text(t: Texts, draft: Draft, head: str = "") -> str:
    """The first screen, after ``head`` (why it is shown again): as many agencies as fit;
    the rest are counted (🏢 shows all)."""
    buttons = 4 + min(2, len(draft.plan.open_groups))
    shown = PREVIEW_AGENCIES
    text = head + _preview(t, draft, shown)
    while shown > 0 and not fits(text, buttons):
        shown -= 1
        text = head + _preview(t, draft, shown)
    if not fits(text, buttons):  # still too long: the title and the details go (📋 🏢 have them)
        text = head + _preview(t, draft, 0, compact=True)
    return text


def change_list(t: Texts, plan: ImportPlan) -> str:
    """ "2 nhiệm vụ mới, sửa 1 nhiệm vụ, 3 lượt giao mới" — only what happens."""
    parts = [
        ("import.change.tasks_new", plan.count("new")),
        ("import.change.tasks_changed", plan.count("changed")),
        ("import.change.tasks_removed", sum(1 for task in plan.tasks if task.dropped)),
        ("import.change.agencies_new", len(plan.new_agencies)),
        ("import.change.assign_new", len(plan.assignments("new", "restored"))),
        ("import.change.assign_role", len(plan.assignments("role"))),
        (
            "import.change.assign_removed",
            sum(1 for task, _ in plan.assignments("removed") if not task.dropped),
        ),
    ]
    words = [t.t(key, n=n) for key, n in parts if n]
    if plan.notice.changed and not plan.is_new_notice:
        words.append(t.t("import.change.meta"))
    return ", ".join(words)


def _preview(t: Texts, draft: Draft, shown: int, compact: bool = False) -> str:
    plan = draft.plan
    live = [task for task in plan.tasks if task.change != "removed" and not task.cancelled]
    per_agency = plan.per_agency()
    receiving = [a for a, rows in per_agency if any(x.active_after for _, x in rows)]
    text = t.t(
        "import.preview",
        number=plan.notice.number,
        date=plan.notice.issued_on.strftime("%d/%m/%Y") if plan.notice.issued_on else "—",
        title="" if compact else shorten(plan.notice.title or "", 90),
        count=len(live),
        deadlines=sum(1 for task in live if task.deadline_end),
        agencies=len(receiving),
    )
    if plan.new_agencies:
        text += t.t("import.preview_new_agencies", n=len(plan.new_agencies))
    if plan.is_new_notice:
        text += t.t(
            "import.preview_first",
            tasks=len(live),
            assignments=len(plan.saved_assignments()),
        )
    elif plan.no_change:
        text += t.t("import.preview_no_change")
    else:
        text += t.t("import.preview_changes", changes=change_list(t, plan))
    lines = _agency_lines(t, plan, shown)
    if lines:
        key = (
            "import.preview_agencies_head" if plan.is_new_notice else "import.preview_changed_head"
        )
        text += t.t(key, lines=Raw("\n".join(lines)))
    held = plan.assignments("held")
    if held:  # finished work the new version drops: kept, and the office is told every time
        items = ", ".join(f"#{a.assignment_id} ({task.code})" for task, a in held[:3])
        text += t.t("import.preview_held", n=len(held), items=items + (", …" if held[3:] else ""))
    text += _timing_lines(t, plan)
    if plan.open_groups:
        names = ", ".join(f"«{shorten(g.name, 34)}»" for g in plan.open_groups[:2])
        if len(plan.open_groups) > 2:
            names += ", …"
        nobody = sum(1 for task in live if not any(a.active_after for a in task.assignments))
        text += t.t("import.preview_groups", n=len(plan.open_groups), names=names, nobody=nobody)
    if plan.skipped_groups:
        skipped = ", ".join(f"«{shorten(g.name, 34)}»" for g in plan.skipped_groups[:3])
        text += t.t("import.preview_skipped", names=skipped)
    if plan.problems and not compact:
        problems = "\n".join(f"• {shorten(p, 80)}" for p in plan.problems[:2])
        text += t.t("import.preview_problems", problems=problems)
    if draft.unclassified and not compact:
        text += t.t(
            "import.preview_unclassified",
            n=len(draft.unclassified),
            example=shorten(draft.unclassified[0], 60),
        )
    if draft.unused and not compact:
        text += t.t("import.preview_unused", n=len(draft.unused))
    return text + t.t("import.preview_footer")


def _timing_lines(t: Texts, plan: ImportPlan) -> str:
    """Finished work a deadline change moves between done on time and done late: named before
    Lưu, the steering committee's figures move with it."""
    text = ""
    for late, key in ((True, "import.preview_now_late"), (False, "import.preview_now_on_time")):
        moves = [(task, a) for task in plan.tasks for a, now in task.timing if now is late]
        if moves:
            items = ", ".join(f"#{a} ({task.code})" for task, a in moves[:3])
            text += t.t(key, n=len(moves), items=items + (", …" if moves[3:] else ""))
    return text


def _agency_lines(t: Texts, plan: ImportPlan, shown: int) -> list[str]:
    lines = []
    for agency, rows in plan.per_agency():
        new = t.t("import.new_mark") if agency.is_new else ""
        name = shorten(agency.name, 40)
        if plan.is_new_notice:
            lead = sum(1 for _, a in rows if a.role == "lead")
            lines.append(
                t.t(
                    "import.preview_agency_line",
                    name=name,
                    new=Raw(new),
                    lead=lead,
                    coordinating=len(rows) - lead,
                )
            )
            continue
        added = sum(1 for _, a in rows if a.change in ("new", "restored"))
        removed = sum(1 for task, a in rows if a.change == "removed")
        roles = sum(1 for _, a in rows if a.change == "role")
        if added or removed or roles:
            changes = ", ".join(
                w
                for w in (
                    f"+{added}" if added else "",
                    f"−{removed}" if removed else "",
                    f"↔️{roles}" if roles else "",
                )
                if w
            )
            lines.append(
                t.t("import.preview_agency_change", name=name, new=Raw(new), changes=changes)
            )
    if len(lines) > shown:
        rest = len(lines) - shown
        lines = [*lines[:shown], t.t("import.preview_more_agencies", n=rest)]
    return lines


def _codes(codes: tuple[str, ...] | list[str], limit: int) -> str:
    shown = ", ".join(codes[:limit])
    return shown + ("…" if len(codes) > limit else "")


def tasks_page(t: Texts, draft: Draft, page: int) -> tuple[str, int, int]:
    """(text, page, pages) of the plan's tasks, each with its change and agencies; then, on
    the last pages, every line of the notice no task was made from, with its number and why
    (nothing of the notice is neither used nor shown)."""
    plan = draft.plan
    task_pages = max(1, -(-len(plan.tasks) // TASKS_PER_PAGE))
    pages = task_pages + -(-len(draft.unused) // UNUSED_PER_PAGE)
    page = min(max(page, 1), pages)
    if page > task_pages:
        return _unused_page(t, draft, page - task_pages, page, pages), page, pages
    chunk = plan.tasks[(page - 1) * TASKS_PER_PAGE : page * TASKS_PER_PAGE]
    body = [_task(t, plan, task) for task in chunk]
    return "\n\n".join([t.t("import.tasks_page", page=page, pages=pages), *body]), page, pages


def _unused_page(t: Texts, draft: Draft, index: int, page: int, pages: int) -> str:
    chunk = draft.unused[(index - 1) * UNUSED_PER_PAGE : index * UNUSED_PER_PAGE]
    lines = [
        t.t(
            "import.unused_line",
            line=line,
            reason=t.t(f"import.reason.{reason}") if t.has(f"import.reason.{reason}") else reason,
            text=shorten(text, 60),
        )
        for line, reason, text in chunk
    ]
    head = t.t("import.unused_page", n=len(draft.unused), page=page, pages=pages)
    return "\n".join([head, *lines])


def _task(t: Texts, plan: ImportPlan, task: PlannedTask) -> str:
    if task.cancelled:
        change = t.t("import.task_change.cancelled")
    elif task.change == "changed":
        fields = ", ".join(t.t(f"import.field.{f}") for f in task.fields)
        change = t.t("import.task_change.changed", fields=fields)
    elif task.change == "removed" and task.holds:
        change = t.t("import.task_change.removed_held")
    else:
        change = t.t(f"import.task_change.{task.change}")
    lead = [a.agency for a in task.assignments if a.role == "lead" and a.active_after]
    others = [a.agency for a in task.assignments if a.role != "lead" and a.active_after]
    who = ", ".join(lead) or (", ".join(task.open_groups) or t.t("import.task_nobody"))
    who = shorten(who, 70)
    if others:
        who += t.t("import.task_coordinating", names=shorten(", ".join(others), 50))
    text = t.t(
        "import.task_line",
        code=task.code,
        change=change,
        lead=Raw(who),
        deadline=dates_text(task.deadline_start, task.deadline_end),
        text=shorten(task.text, 220),
    )
    moves = [
        ("+" if a.change in ("new", "restored") else "−") + a.agency
        for a in task.assignments
        if task.change != "new" and a.change in ("new", "restored", "removed")
    ]
    if moves:
        text += t.t("import.task_moves", moves=shorten(", ".join(moves), 80))
    held = [a.agency for a in task.assignments if a.change == "held"]
    if held:
        text += t.t("import.task_held", names=shorten(", ".join(held), 80))
    return text


def agencies_page(t: Texts, plan: ImportPlan, page: int) -> tuple[str, int, int]:
    """(text, page, pages): each agency, new or not, with the codes it leads or helps with."""
    rows = plan.per_agency()
    pages = max(1, -(-len(rows) // AGENCIES_PER_PAGE))
    page = min(max(page, 1), pages)
    body = []
    for agency, items in rows[(page - 1) * AGENCIES_PER_PAGE : page * AGENCIES_PER_PAGE]:
        parts = []
        for key, pick in (
            ("import.agency_lead", lambda a: a.role == "lead" and a.active_after),
            ("import.agency_coordinating", lambda a: a.role != "lead" and a.active_after),
            ("import.agency_removed", lambda a: not a.active_after),
        ):
            codes = [task.code for task, a in items if pick(a)]
            if codes:
                parts.append(t.t(key, codes=_codes(codes, 8)))
        body.append(
            t.t(
                "import.agency_line",
                name=shorten(agency.name, 60),
                new=Raw(t.t("import.new_mark") if agency.is_new else ""),
                codes="; ".join(parts),
            )
        )
    if page == 1:  # the groups first: each expanded to its members, or asked about
        groups = [
            t.t(
                "import.agencies_group",
                name=shorten(g.name, 40),
                members=shorten(", ".join(g.members), 80)
                if g.members
                else t.t(f"import.group_status.{g.status}"),
            )
            for g in plan.groups[:3]
        ]
        body = [*groups, *body]
    text = "\n".join([t.t("import.agencies_page", page=page, pages=pages), *body])
    return text, page, pages


def saved_text(t: Texts, saved: Saved) -> str:
    result, plan = saved.result, saved.plan
    if result.no_change:
        return t.t("import.saved_no_change", number=result.number)
    text = t.t("import.saved", number=result.number, changes=change_list(t, plan) or "—")
    if held := plan.assignments("held"):
        text += t.t("import.saved_held", n=len(held))
    if result.agencies_created:
        text += t.t("import.saved_agencies", names=shorten(", ".join(result.agencies_created), 300))
    return text


def group_question_text(t: Texts, draft: Draft, index: int) -> str | None:
    """The question of a group without members (❓ under the preview); None when gone."""
    groups = draft.plan.open_groups
    if index >= len(groups):
        return None
    group = groups[index]
    return t.t("import.group_question", name=shorten(group.name, 60), n=len(group.tasks))


def pick_text(t: Texts, picking: Picking, *, page: int, pages: int) -> str:
    """ "Chọn đơn vị": the group, the agencies picked so far (a few names), the page."""
    names = dict(picking.candidates)
    picked = [names[i] for i in picking.picked if i in names]
    shown = ", ".join(shorten(n, 30) for n in picked[:4]) + (", …" if len(picked) > 4 else "")
    return t.t(
        "import.pick",
        name=shorten(picking.group, 60),
        n=len(picked),
        names=shown or "—",
        page=page,
        pages=pages,
    )
