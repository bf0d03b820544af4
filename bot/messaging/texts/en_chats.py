"""English: binding groups and people to agencies (invites, registration, the office group,
/bindings) and bindings in real life (the office's chat is never an agency's, moving a group to
another agency needs the office's consent, a group upgraded to a supergroup). Part of en.py."""

TEXTS: dict[str, str] = {
    "bind.usage_invite": (
        "Usage: <code>/invite &lt;agency name&gt;</code>, e.g. <code>/invite Sở Tài chính</code>; "
        "<code>/invite all</code> issues codes for every agency without a bound group, "
        "<code>/invite 22-TB/BCĐ</code> for the agencies of one notice (with the printable kit)."
    ),
    "bind.agency_not_found": "No agency matches “{query}”. Check the name (agencies exist once a notice is imported).",
    "bind.agency_ambiguous": "“{query}” matches several agencies; pick one or write the name in full:\n{candidates}",
    "bind.invite_created": (
        "Invite code for <b>{agency}</b>: <code>{code}</code>\n"
        "Valid until {expires}, single use.\n\n"
        "• Bind the agency's group: open {group_link} and pick the group\n"
        "• Register only the focal point (private chat): {link}\n"
        "• Or send in the agency's group: <code>/register {code}</code>"
    ),
    "bind.usage_register": "Usage: <code>/dangky &lt;invite code&gt;</code>, e.g. <code>/dangky K7M2Q9XW3P</code> (the office gives it with /moi).",
    "bind.registered_person": "✅ You are now the focal point of <b>{agency}</b>. Type /tasks to see the tasks.",
    "bind.registered_group": "✅ This group is now bound to <b>{agency}</b>. Its reminders will come here. Type /tasks to see the tasks.",
    "bind.code_not_found": "Wrong invite code. Check it or ask the coordination office for a new one.",
    "bind.code_used": "This invite code has already been used. Ask the coordination office for a new one.",
    "bind.code_expired": "This invite code has expired. Ask the coordination office for a new one.",
    "bind.rate_limited": "Too many wrong codes. Please try again in 15 minutes.",
    "bind.office_group_only": "Use /office in the coordination office's group, not in a private chat.",
    "bind.office_bound": "✅ This is now the coordination office's group: summaries, confirmation requests and overdue alerts come here.",
    "bind.list_title": "<b>Bound chats</b>",
    "bind.list_empty": "No chat is bound yet.",
    "bind.list_line": "{n}. {target} — {chat}",
    "bind.office_label": "Coordination office",
    "bind.remove_button": "🗑 Remove {n}",
    "bind.removed": "Removed chat {chat} from {target}.",
    "bind.remove_gone": "This binding was already removed.",
    "bind.agency_number": "“{query}” is a task code, not an agency. Write the agency's name, e.g. “Sở Tài chính”.",
    "bind.agency_more": "… and {n} more agencies",
    "bind.agency_example": "For example: <code>{example}</code>",
    "bind.deactivated_notice": "⚠️ Could not send to {agencies} (the bot was blocked or removed). Sending there has stopped; issue a new invite.",
    "bind.already_registered_group": "This group was already linked to <b>{agency}</b> with this code at {time}; no need to register again.",
    "bind.already_registered_person": "You were already registered as a focal point of <b>{agency}</b> with this code at {time}; no need to register again.",
    "bind.office_chat_refused": (
        "⛔ This is the <b>coordination office</b>'s group: it cannot be bound to an agency; "
        "the code of <b>{agency}</b> was not used. Send <code>/register &lt;code&gt;</code> "
        "in {agency}'s group.\n"
        "To move the office to another group: send /office there, then remove this one "
        "under /bindings."
    ),
    "bind.office_on_agency_group": (
        "⛔ This group is bound to <b>{agency}</b>: it cannot become the office's group. If it "
        "really is the office's: remove its binding under /bindings first, then send /office "
        "again."
    ),
    "bind.rebind_waiting": (
        "⏳ This group is bound to <b>{previous}</b>. A request to move it to "
        "<b>{agency}</b> was sent to the coordination office; until the office agrees, the "
        "group keeps {previous}'s reminders."
    ),
    "bind.rebind_request": (
        "🔁 <b>Request to move a group</b> «{chat}» from <b>{previous}</b> to "
        "<b>{agency}</b> ({person} sent {agency}'s invite code there).\n"
        "If you agree, {previous}'s reminders stop going to this group."
    ),
    "bind.btn_rebind_ok": "✅ Move it",
    "bind.btn_rebind_no": "❌ Keep it",
    "bind.rebind_approved": "✅ Group «{chat}» moved to <b>{agency}</b> (before: {previous}).",
    "bind.rebind_refused": "Group «{chat}» kept with <b>{previous}</b>.",
    "bind.rebind_approved_group": (
        "✅ The coordination office agreed: this group is now bound to <b>{agency}</b>. "
        "Type /tasks to see its tasks."
    ),
    "bind.rebind_refused_group": (
        "The coordination office did not agree to move this group to <b>{agency}</b>; it "
        "stays bound to <b>{previous}</b>."
    ),
    "bind.rebind_decided": "This request to move the group was already decided.",
    "bind.migrated_notice": (
        "ℹ️ Group «{chat}» ({agencies}) was upgraded by Telegram to a supergroup, with a new "
        "chat id. Its bindings, reminders and open questions moved to it; no need to "
        "register again."
    ),
    "remind.now_day_off_ask": (
        "📅 Today ({today}) is a day off. Send the next working day's reminders, "
        "<b>{day}</b>, now? On the morning of {day} the bot will not send them again."
    ),
    "remind.btn_send_now": "✅ Send now",
    "remind.btn_not_now": "❌ Not now",
    "remind.now_not_sent": "Not sent: no reminders went out.",
    "remind.now_early": "Sent before the reminder time ({time}); at that time the bot will not send them again.",
    "common.weekdays": "Monday,Tuesday,Wednesday,Thursday,Friday,Saturday,Sunday",
}
