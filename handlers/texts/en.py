"""English: every text the bot shows, second language after Vietnamese."""

TEXTS: dict[str, str] = {
    # --- common ---
    "start.welcome": (
        "Hello {name}! I am <b>dondoc</b>, the assistant that follows up the tasks of the "
        "steering committee's conclusion notices.\n\n"
        "• Agencies: see your tasks with /tasks, report progress by replying to a reminder.\n"
        "• Coordination office: import a notice with /import, read the summary with /summary.\n\n"
        "Type /help for the guide."
    ),
    "start.stranger": (
        "Hello {name}! You are not bound to any agency yet.\n"
        "Ask the coordination office for an invite code (/invite), then open the invite link "
        "or send <code>/register &lt;code&gt;</code>."
    ),
    "help.body": (
        "<b>How to use dondoc</b>\n\n"
        "<b>Agencies (focal points)</b>\n"
        "/tasks — your agency's tasks\n"
        "/update &lt;code&gt; &lt;text&gt; — report progress\n"
        "/register &lt;invite code&gt; — bind this group to your agency\n"
        "/pause, /resume — pause or resume reminders\n"
        "Reply to a reminder: “done”, “70%”, “vướng mắc …” (blocker)\n\n"
        "<b>Coordination office</b>\n"
        "/import — import a conclusion notice\n"
        "/invite &lt;agency&gt; — create an invite code\n"
        "/office — make this group the office group\n"
        "/newtask — assign a new task\n"
        "/summary — roll-up; /export — Excel and Word\n"
        "/remind_now — run the reminder sweep now"
    ),
    "error.apology": "Sorry, something went wrong while handling your request. The office has been notified; please try again later.",
    "error.admin_notice": "⚠️ Error while handling an update: <code>{error}</code>",
    "common.unknown_command": "There is no command {command}. Type /help for the list.",
    "common.too_long": "The message is too long (at most 4096 characters). Please shorten it.",
    "common.edited_ignored": "Edited messages are not processed. Please send the new text again.",
    "common.not_understood": "I did not understand this message. Reply to a reminder or type /help.",
    "common.unsupported_message": "The bot accepts text, photos and document files only.",
    "common.not_allowed": "You are not allowed to do this.",
    "common.admin_only": "Only the coordination office can do this.",
    "common.stranger": "You are not bound to any agency yet. Ask the coordination office for an invite code (/invite).",
    "common.unknown_group": (
        "Hello! This group is not bound to any agency yet.\n"
        "The focal point sends <code>/register &lt;invite code&gt;</code> here to receive reminders; "
        "the coordination office sends /office to make it the office group."
    ),
    "common.stale_button": "This button has expired. Please open the task list again.",
    "common.cancelled": "Cancelled.",
    # --- import ---
    # --- bindings ---
    # --- tasks ---
    # --- progress ---
    # --- reminders ---
    # --- summary ---
}
