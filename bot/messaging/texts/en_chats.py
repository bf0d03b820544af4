"""English: chat bindings in real life (the office's chat is never an agency's, moving a group
to another agency needs the office's consent, a group upgraded to a supergroup), reminding now
and the bounds on input. Part of en.py, kept apart so that each file stays under 500 lines."""

TEXTS: dict[str, str] = {
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
}
