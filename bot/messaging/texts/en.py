"""English: every text the bot shows, second language after Vietnamese."""

from bot.messaging.texts.en_chats import TEXTS as CHATS
from bot.messaging.texts.en_import import TEXTS as IMPORT
from bot.messaging.texts.en_onboard import TEXTS as ONBOARD
from bot.messaging.texts.en_replies import TEXTS as REPLIES
from bot.messaging.texts.en_summary import TEXTS as SUMMARY
from bot.messaging.texts.en_web import TEXTS as WEB

TEXTS: dict[str, str] = {
    # --- common ---
    "start.office": (
        "Hello {name}! I am <b>dondoc</b>, the assistant that follows up the tasks of the "
        "steering committee's conclusion notices.\n\n"
        "• Import a notice: send me the .docx or .pdf, or /nhapvanban\n"
        "• Follow up: <code>/nhiemvu quahan</code>, /tonghop\n"
        "• Invite an agency: <code>/moi Sở Tài chính</code>\n\n"
        "Type /trogiup for the guide."
    ),
    "start.agency": (
        "Hello {name}! I am <b>dondoc</b>, following up the tasks of <b>{agency}</b>.\n\n"
        "• Your tasks: /nhiemvu\n"
        "• Report: reply to a reminder, e.g. “đạt 70%”, or press a button on a task card\n\n"
        "Type /trogiup for the guide."
    ),
    "start.stranger": (
        "Hello {name}! You are not bound to any agency yet.\n"
        "Ask the coordination office for an invite code (/moi), then open the invite link "
        "or send <code>/dangky &lt;code&gt;</code>."
    ),
    "help.title": "<b>How to use dondoc</b>",
    "help.title_office": "<b>Guide — coordination office</b>",
    "help.reply_hint": "↩️ The quickest report: reply to a reminder in words, e.g. “2 đạt 70%”, “1 đã hoàn thành”, “vướng mắc …”, “xin gia hạn đến 30/4”; or write “#15 đã hoàn thành” in the group (#15 is the number on your agency's messages).",
    "help.btn_more": "More ▶️",
    "help.cmd.nhiemvu": "📋 /nhiemvu — open tasks; <code>/nhiemvu quahan</code>, <code>/nhiemvu Sở Tài chính</code>, <code>/nhiemvu #15</code> (the card numbered #15 in messages)",
    "help.cmd.nhiemvu.agency": "📋 /nhiemvu — your agency's tasks; <code>/nhiemvu #15</code> opens the card numbered #15 in messages",
    "help.cmd.capnhat": "✍️ <code>/capnhat #15 đạt 70%</code> — report progress (<code>/capnhat #15 đã hoàn thành</code>)",
    "help.cmd.tonghop": "📊 /tonghop — summary; <code>/tonghop thang</code>, <code>/tonghop Sở Tài chính</code>",
    "help.cmd.tonghop.agency": "📊 /tonghop — your agency's progress; <code>/tonghop thang</code>",
    "help.cmd.tamdung": "⏸ <code>/tamdung 7</code> — pause reminders for 7 days (<code>/tamdung 15/01/2020</code>)",
    "help.cmd.tieptuc": "▶️ /tieptuc — resume reminders",
    "help.cmd.nhapvanban": "📥 /nhapvanban — import a conclusion notice (or send the .docx, .pdf)",
    "help.cmd.xuatbaocao": "📑 /xuatbaocao — the Excel appendix and the Word draft report",
    "help.cmd.giaoviec": "➕ <code>/giaoviec Sở Tài chính | Báo cáo tình hình giải ngân | 15/01/2020</code>",
    "help.cmd.doihan": "📅 <code>/doihan #16 30/04/2020</code> — change a deadline",
    "help.cmd.giaolai": "🔁 <code>/giaolai #16 Sở Kế hoạch và Đầu tư</code> — reassign",
    "help.cmd.huynv": "🚫 <code>/huynv #16</code> — cancel a task (asks first)",
    "help.cmd.mat": "🔒 <code>/mat #16</code> — restricted: groups see only its code and deadline",
    "help.cmd.donvi": "🏢 <code>/donvi</code> — agency directory; <code>/donvi nhom</code> — groups",
    "help.cmd.moi": "✉️ <code>/moi Sở Tài chính</code> — an invite code for the focal point; <code>/moi tatca</code> — codes and the printable kit for every agency without a group",
    "help.cmd.nhacngay": "🔔 /nhacngay — send today's reminders now",
    "help.cmd.chuatiepnhan": "👍 /chuatiepnhan — agencies yet to acknowledge their tasks",
    "help.cmd.ganket": "🔗 /ganket — bound chats (and removing them)",
    "help.cmd.vanphong": "🏛 /vanphong — make this group the office group",
    "help.cmd.themadmin": "👤 <code>/themadmin 123456789</code> — add an office admin (Telegram id)",
    "help.cmd.boadmin": "👤 <code>/boadmin 123456789</code> — remove an office admin",
    "help.cmd.xoadaumoi": "🚪 <code>/xoadaumoi 123456789 Sở Tài chính</code> — remove a focal point",
    "help.cmd.dangky": "🔑 <code>/dangky K7M2Q9XW3P</code> — register with the office's invite code",
    "help.cmd.trogiup": "❔ /trogiup — this guide",
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
    "common.voice_unsupported": "🎤 The bot cannot listen to voice notes; nothing was recorded. Please type it, e.g. “đạt 70%” or “đã hoàn thành”.",
    "common.cancelled": "Cancelled.",
    # --- menu ---
    "menu.nhiemvu": "Your agency's tasks",
    "menu.capnhat": "Report progress, e.g. /capnhat #15 70%",
    "menu.tamdung": "Pause reminders",
    "menu.tieptuc": "Resume reminders",
    "menu.dangky": "Bind this group with an invite code",
    "menu.trogiup": "How to use the bot",
    "menu.nhapvanban": "Import a conclusion notice",
    "menu.donvi": "Agency directory and groups",
    "menu.moi": "Invite code for an agency",
    "menu.giaoviec": "Assign a new task",
    "menu.tonghop": "Summary report",
    "menu.xuatbaocao": "Export Excel and Word",
    "menu.nhacngay": "Run the reminders now",
    "menu.vanphong": "Make this the office group",
    "menu.ganket": "Bound chats",
    "menu.doihan": "Change a deadline, e.g. /doihan #16 30/04/2020",
    "menu.giaolai": "Reassign a task to another agency",
    "menu.huynv": "Cancel a task",
    "menu.mat": "Mark a task restricted",
    "menu.chuatiepnhan": "Agencies yet to acknowledge",
    "menu.themadmin": "Add an office admin",
    "menu.boadmin": "Remove an office admin",
    "menu.xoadaumoi": "Remove an agency's focal point",
    # --- import ---
    # --- bindings ---
    # --- tasks ---
    "tasks.title_agency": "<b>Tasks of {agency}</b>",
    "tasks.title_agency_overdue": "<b>Overdue tasks of {agency}</b>",
    "tasks.title_all": "<b>Tasks of all agencies</b>",
    "tasks.title_filtered": "<b>Tasks — {filter}</b>",
    "tasks.title_overdue_filtered": "<b>Overdue tasks — {filter}</b>",
    "tasks.title_overdue": "<b>Overdue tasks</b>",
    "tasks.empty_overdue": "No overdue tasks. 👍",
    "tasks.empty": "No open tasks. 👍",
    "tasks.unknown_filter": "No agency or notice “{query}”. For example: <code>/nhiemvu quahan</code>, <code>/nhiemvu Sở Tài chính</code>, <code>/nhiemvu 22-TB/BCĐ</code>, <code>/nhiemvu #15</code> (the number #15 shown in messages).",
    "tasks.page": "Page {page}/{pages} · {count} tasks",
    "tasks.page_assignments": "Page {page}/{pages} · {count} assignments",
    "tasks.line": "{icon} <b>{code}</b> {text}\n⏰ {deadline} · {status}",
    "tasks.line_agency": "{icon} <b>{code}</b> [{agency}] {text}\n⏰ {deadline} · {status}",
    "tasks.hint": "Tap a code to open the task's card and report.",
    "tasks.no_deadline": "no deadline",
    "tasks.days_overdue": "{days} days overdue",
    "tasks.days_left": "{days} days left",
    "tasks.due_today": "due today",
    "tasks.restricted_text": "(restricted task — see the original document)",
    "tasks.not_found": "Task {code} was not found, or it does not belong to your agency.",
    "tasks.card": (
        "<b>Task {code}</b> · {notice}\n"
        "{text}\n\n"
        "🏢 Lead: {leads}\n"
        "{coordinating}"
        "⏰ Deadline: {deadline}{extension}\n"
        "📊 Status: {status}"
    ),
    "tasks.card_coordinating": "🤝 Coordinating: {names}\n",
    "tasks.card_extension": " (extended from {original})",
    "tasks.card_proposed": " (proposed by the agency, agreed by the office)",
    "tasks.card_history": "\n\n<b>Updates</b>",
    "tasks.card_history_line": "• {at} {author}: {what}",
    "tasks.card_history_more": "… and {n} earlier updates",
    "tasks.card_no_history": "\n\nNo updates yet.",
    "tasks.card_reply_hint": "\n\n↩️ Press a button, or reply to this message: “đạt 70%”, “vướng mắc …”.",
    "tasks.btn_prev": "◀️ Previous",
    "tasks.btn_more": "📄 More",
    "tasks.full_title": "<b>Task {code}</b> · {notice}",
    "tasks.full_caption": "The whole text and history of task {code}",
    "tasks.page_only": "Page {page}/{pages} · {count} chats",
    "tasks.btn_next": "Next ▶️",
    "status.not_started": "Not started",
    "status.in_progress": "In progress {percent}%",
    "status.blocked": "Blocked ({percent}%)",
    "status.returned": "To be redone (returned by the office)",
    "status.awaiting_confirmation": "Awaiting confirmation",
    "status.done": "Done",
    "status.cancelled": "Cancelled",
    "history.done": "reported done",
    "history.in_progress": "progress {percent}%",
    "history.blocked": "blocker: {text}",
    "history.note": "note: {text}",
    "history.undo": "undid the previous update",
    "history.confirmed": "the office confirmed completion",
    "history.returned": "the office returned it: {text}",
    "history.extension_request": "asked for an extension to {text}",
    "history.extension_approved": "the office approved an extension to {text}",
    "history.extension_refused": "the office refused an extension to {text}",
    "history.import_cancelled": "the office re-imported notice {text}: no longer assigned",
    "history.import_restored": "the office re-imported notice {text}: assigned again",
    "history.undone_mark": " <i>(undone)</i>",
    "history.evidence": " 📎",
    # --- progress ---
    "progress.btn_done": "✅ Done",
    "progress.btn_in_progress": "🔄 In progress",
    "progress.btn_blocked": "⚠️ Blocker",
    "progress.btn_extension": "📅 Ask extension",
    "progress.btn_undo": "↩️ Undo",
    "progress.btn_percent": "{percent}%",
    "progress.btn_confirm": "✅ Confirm",
    "progress.btn_return": "↩️ Return",
    "progress.btn_approve": "✅ Approve extension",
    "progress.btn_approve_proposal": "✅ Agree to the proposed deadline",
    "progress.btn_refuse": "❌ Refuse",
    "progress.btn_cancel": "Cancel",
    "progress.choose_percent": "Task {code}: choose the progress reached.",
    "progress.ask_blocker": "Task {code}: write one line about the difficulty (or send “hủy” to cancel).",
    "progress.ask_extension": "Task {code}: write the new date and the reason, e.g. <code>31/03/2020 waiting for the ministry</code> (or “hủy” to cancel).",
    "progress.ask_return_reason": "Task {code}: write why the completion is returned (or “hủy” to cancel).",
    "progress.saved_done_awaiting": "✅ Recorded {code} as done — awaiting the office's confirmation.",
    "progress.saved_done": "✅ Recorded {code} as done.",
    "progress.saved_percent": "🔄 Recorded {code}: {percent}%.",
    "progress.saved_blocked": "⚠️ Recorded the blocker on {code}; the office will include it in the summary.",
    "progress.extension_hint": "📅 To ask for more time: open the task card (/tasks) and tap 📅 Ask extension, so the office can decide.",
    "progress.saved_note": "📝 Recorded your report on {code}.",
    "progress.saved_evidence": " With {n} evidence file(s).",
    "progress.undone": "↩️ Undid the update of {code}. Status: {status}.",
    "progress.undo_too_late": "Too late to undo. Please send a new update.",
    "progress.undo_already": "This update was already undone.",
    "progress.undo_decided": (
        "The coordination office has decided since this update (confirmed, returned or"
        " extended), so it cannot be undone. To correct it: send a new update or ask the office."
    ),
    "progress.closed": "Task {code} is done or cancelled; no more reports needed.",
    "progress.not_allowed": "This task is not your agency's, so you cannot update it.",
    "progress.task_not_found": "This task was not found (it may have been cancelled).",
    "progress.percent_out_of_range": "The percentage must be between 0 and 100. Nothing was changed.",
    "progress.invalid_percent": "Invalid percentage. Nothing was changed.",
    "progress.empty": "The report is empty. Nothing was changed.",
    "progress.too_long": "The text is too long (at most 4000 characters). Nothing was changed.",
    "progress.invalid_date": "Invalid date ({detail}). Write it as dd/mm/yyyy, e.g. 31/03/2020.",
    "progress.date_in_past": "The new deadline must be after today. Write the date as dd/mm/yyyy.",
    "progress.extension_not_later": "An extension of {code} must end after its deadline.",
    "progress.not_after_deadline": (
        "{code} is due on {date}: an extension must end after that. Write the date as dd/mm/yyyy."
    ),
    "progress.usage_update": "Usage: <code>/update &lt;code&gt; &lt;text&gt;</code>, e.g. <code>/capnhat #15 đạt 70%</code> or <code>/capnhat #15 đã hoàn thành</code>.",
    "progress.no_such_line": "This message has {n} tasks, numbered 1 to {n}; there is no task {line}. Which one is your report for?",
    "progress.which_task": "This message covers several tasks. Which one is your report for?",
    "progress.reply_number_hint": "This message has several tasks: start your reply with the task's number, e.g. “2 70%”.",
    "progress.not_a_task_message": "The message you replied to is not a reminder or a task card, so nothing was recorded. Reply to a reminder or a task card (type /tasks to open one), or type <code>/update &lt;code&gt; &lt;text&gt;</code>.",
    "progress.office_awaiting_no_text": "🔔 <b>{agency}</b> reports task {code} done.\n\nPlease confirm.",
    "progress.office_awaiting": "🔔 <b>{agency}</b> reports task {code} done:\n{text}\n\nPlease confirm.",
    "progress.office_proposal": "📅 <b>{agency}</b> proposes a deadline for task {code} (it has none now): <b>{date}</b>.\nAgreeing gives the task this deadline.",
    "progress.office_extension": "📅 <b>{agency}</b> asks to extend task {code} to <b>{date}</b> (current deadline: {current}).\nReason: {reason}",
    "progress.office_blocked": "⚠️ <b>{agency}</b> reports a blocker on task {code}: {text}",
    "progress.extension_sent": "📅 Sent the extension request for {code} to {date} to the office.",
    "progress.confirmed": "✅ Confirmed {code} as done ({agency}).",
    "progress.returned": "↩️ Returned {code} to {agency}.",
    "progress.agency_confirmed": "✅ The office confirmed task {code} as done.",
    "progress.agency_returned": "↩️ The office did not accept task {code}; please continue. Reason: {reason}",
    "progress.not_awaiting": "This task is not awaiting confirmation.",
    "progress.extension_approved": "✅ Approved the extension of {code} to {date}.",
    "progress.deadline_shared": "📅 A deadline is the task's, so it also changed for the {n} other agencies on it, each told: {agencies}.",
    "progress.agency_deadline_shared": "📅 The deadline of task {code} is now {date}: the coordination office approved {agency}'s request, and the deadline is shared by the agencies on the task.",
    "progress.extension_refused": "❌ Refused the extension of {code}.",
    "progress.proposal_approved": "✅ Agreed to the deadline the agency proposed for {code}: {date}.",
    "progress.proposal_refused": "❌ Did not agree to the deadline the agency proposed for {code}; the task still has no deadline.",
    "progress.agency_proposal_approved": "✅ The coordination office agreed to the deadline proposed for task {code}: {date}.",
    "progress.agency_proposal_refused": "❌ The coordination office did not agree to the deadline proposed for task {code}; the task still has no deadline.",
    "progress.agency_extension_approved": "✅ The office approved extending task {code} to {date}.",
    "progress.agency_extension_refused": "❌ The office refused the extension of task {code}; the deadline stays.",
    "progress.no_pending_extension": "This extension request has already been decided.",
    "progress.extension_waiting": "⏳ The agency already asked to extend task {code} to {date} (sent on {sent}); it is waiting for the coordination office’s decision. No new request was sent.",
    "progress.proposal_waiting": "⏳ The agency already proposed a deadline for task {code}: {date} (sent on {sent}); it is waiting for the coordination office’s decision. No new proposal was sent.",
    # --- admin ---
    "admin.usage_newtask": (
        "Usage: <code>/newtask &lt;agency&gt; | &lt;text&gt; | &lt;deadline&gt;</code>\n"
        "E.g. <code>/newtask Sở Tài chính | Report on disbursement | 15/01/2020</code>\n"
        "A deadline may be: 15/01/2020, tháng 3/2020, quý I/2020, thường xuyên (ongoing)."
    ),
    "admin.usage_deadline": "Usage: <code>/deadline &lt;code&gt; &lt;new deadline&gt;</code>, e.g. <code>/doihan #16 30/04/2020</code>. A deadline is the task's: it changes for every agency on it.",
    "admin.usage_reassign": "Usage: <code>/reassign &lt;code&gt; &lt;agency&gt;</code>, e.g. <code>/giaolai #16 Sở Kế hoạch và Đầu tư</code>.",
    "admin.usage_code": "Usage: <code>{command} &lt;#number&gt;</code>, e.g. <code>{command} #16</code> (the number shown in messages).",
    "admin.usage_admin": "Usage: <code>{command} &lt;Telegram id&gt;</code>, e.g. <code>{command} 123456789</code> (a number, see @userinfobot).",
    "admin.created": "✅ Assigned task {code} ({task}) to <b>{agency}</b>, {deadline}.",
    "admin.created_due": "due {date}",
    "admin.deadline_in_past": "⚠️ This date has passed: the task counts as overdue unless done.",
    "admin.deadline_changed": "📅 Changed the deadline of {code} ({agency}) to {deadline}; the original deadline is kept.",
    "admin.deadline_changed_all": "📅 Changed the deadline of task {task} to {deadline}; the original deadline is kept. A deadline is the task's, so it applies to all {n} agencies on it, each told:\n{agencies}",
    "admin.holder_line": "• {agency} ({role}, {code})",
    "admin.holders_more": "… and {n} more agencies",
    "admin.role_lead": "lead",
    "admin.role_coordinating": "coordinating",
    "admin.deadline_unchanged": "The deadline of task {code} is already {deadline}; nothing changed.",
    "admin.deadline_per_agency": "A deadline is the task's, shared by every agency on it; it cannot change for one agency alone. To change it for all: <code>/doihan {code} {date}</code> (see the agencies with <code>/nhiemvu {code}</code>).",
    "admin.reassigned": "🔁 Reassigned {task} from {old_agency} to <b>{agency}</b> (new code {code}).",
    "admin.already_reassigned": "Task {task} is already assigned to <b>{agency}</b> (code {code}); nothing changed.",
    "admin.moved": "Code {code} is no longer in use: the task was given to another agency. Use the code of the agency doing it now (see <code>/nhiemvu</code>).",
    "admin.agency_reassigned_in": "📌 The coordination office assigned task {code} ({notice}) to your agency, in place of {old_agency}:\n{text}\n⏰ Deadline: {deadline}",
    "admin.agency_reassigned_out": "🔁 The coordination office moved task {code} ({notice}) to {agency}:\n{text}\nYour agency no longer needs to report on it and will not be reminded of it.",
    "admin.cancel_confirm": (
        "Cancel task {task} of notice {notice}?\n«{text}»\n\n"
        "It will be cancelled for every agency it was given to: no more reminders, out of the "
        "statistics. Its update history is kept."
    ),
    "admin.btn_cancel_task": "🚫 Cancel the task",
    "admin.btn_keep_task": "Keep it",
    "admin.kept": "Task {task} is kept as it was.",
    "admin.cancelled": "🚫 Cancelled task {task}; it is no longer reminded or counted.",
    "admin.restricted_on": "🔒 Task {task} is now restricted: chats show only its code and deadline.",
    "admin.restricted_off": "🔓 Task {task} is no longer restricted.",
    "admin.admin_added": "✅ Added {user} to the coordination office (admin).",
    "admin.admin_removed": "Removed the admin rights of {user}.",
    "admin.task_not_found": "Task {code} was not found.",
    "admin.bad_deadline": "The deadline “{text}” is not valid. E.g.: 15/01/2020, tháng 3/2020, quý I/2020, thường xuyên.",
    "admin.empty_text": "The task text is empty.",
    "admin.same_agency": "The task already belongs to this agency.",
    "admin.agency_new_task": "📌 The coordination office assigned a new task {code}:\n{text}\n⏰ Deadline: {deadline}",
    "admin.agency_deadline_changed": "📅 The deadline of task {code} is now {deadline}.",
    # --- reminders ---
    "remind.digest_title": "🔔 <b>Reminders for {date}</b> — {agency}",
    "remind.part": " (part {part}/{parts})",
    "remind.line": "{n}. <b>{code}</b> {text}\n⏰ {deadline} · <b>{what}</b>",
    "remind.line_restricted": "{n}. <b>{code}</b> (restricted task)\n⏰ {deadline} · <b>{what}</b>",
    "remind.digest_hint_one": "↩️ Reply to this message to report, e.g. “đạt 70%”, “đã hoàn thành”; or press the task.",
    "remind.digest_hint": "↩️ Reply starting with the line number: “2 đạt 70%”, “1 đã hoàn thành”; or press a task.",
    "remind.kind.before": "{days} working days left",
    "remind.kind.due_today": "due today",
    "remind.kind.due_on_day_off": "the deadline is a day off — today is the last working day",
    "remind.kind.overdue": "overdue by {days} working days",
    "remind.kind.window_start": "starts {date}",
    "remind.kind.no_deadline": "ongoing task — please report progress",
    "remind.kind.ack_nudge": "receipt not acknowledged",
    "remind.btn_ack": "👍 Received",
    "remind.btn_ack_notice": "👍 Received notice {notice}",
    "remind.office_title": "📣 <b>Overdue tasks — {date}</b>",
    "remind.office_leaders": "⛔ <b>Overdue by {days} working days or more — for the office's leaders to follow up:</b>",
    "remind.office_overdue": "🔴 <b>Overdue, for the office to follow up:</b>",
    "remind.now_sent": "🔔 Sending {messages} reminder messages ({reminders} reminders).",
    "remind.now_nothing": "No new reminders to send: today's were already sent or none are due.",
    "remind.now_before_time": "Too early: today's reminders go out from {time}.",
    "remind.now_day_off": "Today is a day off: no reminders are sent.",
    "remind.now_unreachable": "ℹ️ No chat or focal point to receive them: {names}.",
    "remind.now_unack": "👍 Not yet acknowledged: {names}. See /chuatiepnhan.",
    "remind.office_label": "Coordination office",
    "dates.no_month": "There is no {date}: a year has 12 months, not a month {month}.",
    "dates.day_zero": "There is no {date}: days of a month start at 01.",
    "dates.no_day": "There is no {date}: month {month} has only {days} days.",
    "dates.retry": "Nothing was changed. Type a real date, for example <code>{example}</code>.",
    "remind.pause_usage": "Usage: <code>/tamdung 5</code> (pause 5 days, today included) or <code>/tamdung 31/01/2020</code> (until the end of that day). Send /tieptuc to resume.",
    "remind.pause_invalid_date": "The pause must end between today and {max_days} days from now. Try again, e.g. <code>/tamdung 7</code>.",
    "remind.pause_where": "Use this command in your agency's group (or in private if you are the focal point of one agency).",
    "remind.paused": "⏸ Reminders for <b>{agency}</b> are paused until the end of {date}. Overdue alerts still go to the office. Send /tieptuc to resume earlier.",
    "remind.resumed": "▶️ Reminders for <b>{agency}</b> are back on.",
    "remind.not_paused": "Reminders for <b>{agency}</b> are not paused.",
    "remind.office_paused": "⏸ <b>{agency}</b> paused its reminders until the end of {date} (asked by {who}).",
    "remind.office_resumed": "▶️ <b>{agency}</b> resumed its reminders (asked by {who}).",
    "remind.announce_title": "📋 <b>Notice No. {number}</b> assigns <b>{agency}</b> {count} tasks:",
    "remind.announce_line": "{n}. <b>{code}</b> {text}\n⏰ Deadline: {deadline}",
    "remind.announce_line_restricted": "{n}. <b>{code}</b> (restricted task — see the original document)\n⏰ Deadline: {deadline}",
    "remind.announce_footer_one": "Please press “👍 Received” to acknowledge receipt. To report progress, reply to this message.",
    "remind.announce_footer": "Please press “👍 Received” to acknowledge receipt. To report progress, reply to this message starting with the line number.",
    "remind.acked": "👍 {name} acknowledged receipt of {count} tasks.",
    "remind.ack_already": "Your agency already acknowledged these tasks.",
    "remind.unack_title": "<b>Agencies that have not acknowledged their tasks</b>",
    "remind.unack_line": "• {agency}: {count} tasks (assigned since {since})",
    "remind.unack_none": "Every agency has acknowledged its tasks. 👍",
    "remind.unack_page": "Page {page}/{pages} · {n} agencies",
    "remind.office_line": "{n}. <b>{code}</b> ({task}) {agency} — {what}",
    "remind.office_more": "… and {n} more overdue tasks: press “More”.",
    "remind.btn_more": "📋 More: {n} overdue tasks",
    # --- summary ---
    # --- hiccups (issue 22: a lost answer, a repeat, an effect that failed) ---
    "error.not_recorded_report": (
        "⚠️ Sorry, the bot hit an error: your report was <b>NOT recorded</b>; nothing was "
        "changed. The coordination office has been told. Please send it again in a few minutes."
    ),
    "error.not_done_button": (
        "⚠️ Sorry, the bot hit an error: the button you pressed did <b>NOT take effect</b>; "
        "nothing was changed. The coordination office has been told. Please press it again in "
        "a few minutes."
    ),
    "error.not_done_command": (
        "⚠️ Sorry, the bot hit an error: {command} was <b>NOT carried out</b>; nothing was "
        "changed. The coordination office has been told. Please try again in a few minutes."
    ),
    "error.not_done_message": (
        "⚠️ Sorry, the bot hit an error: your message was <b>NOT handled</b>; nothing was "
        "changed. The coordination office has been told. Please send it again in a few minutes."
    ),
    "answer.file_not_sent": (
        "📎 Telegram was unreachable, so the bot could not send the file <b>{file}</b>{caption}. "
        "Please ask for it again."
    ),
    "progress.repeat": (
        "ℹ️ This report was already recorded at {time}; it is not recorded again.\n"
        "Status of {code}: {status}."
    ),
    "progress.repeat_extension": (
        "📅 The extension request for {code} until {date} was already sent to the office at "
        "{time}; it is not sent again."
    ),
    "progress.decided_confirmed": "✅ {code} was already confirmed as done at {time} ({who}); no need to press again.",
    "progress.decided_returned": "↩️ {code} was already returned at {time} ({who}); no need to press again.",
    "progress.decided_extension_approved": "✅ The extension for {code} was already approved at {time} ({who}); no need to press again.",
    "progress.decided_extension_refused": "❌ The extension for {code} was already refused at {time} ({who}); no need to press again.",
    "progress.decided_by_office": "the coordination office",
    "tasks.list_reply_hint": (
        "The message you replied to is a task list, so nothing was recorded. Tap a task's code "
        "under the list to open its card and reply to that card, or type "
        "<code>/update &lt;code&gt; &lt;text&gt;</code>."
    ),
    "admin.already_cancelled": "Task {task} was already cancelled; nothing changed.",
    # --- web ---
    # The web app's pages and form, /web and the 📱 button: en_web.py (a module of
    # its own, so that this one stays under 500 lines).
    **WEB,
    # --- chats in real life: bindings, migrations (vi_chats.py / en_chats.py) ---
    **CHATS,
    # --- the roll-up (issue 16): en_summary.py ---
    **SUMMARY,
    # --- replies in words (issue 14): en_replies.py ---
    **REPLIES,
    # --- onboarding (issue 21): en_onboard.py ---
    **ONBOARD,
    # --- importing a notice (the preview is the plan) and the agency directory: en_import.py ---
    **IMPORT,
    # --- members ---
    "members.usage": "Usage: <code>/xoadaumoi &lt;Telegram id&gt; &lt;agency&gt;</code>, for example <code>/xoadaumoi 123456789 Sở Tài chính</code>.",
    "members.removed": "{user} is no longer a focal point of <b>{agency}</b>: from now on they cannot act on the agency's tasks.",
    "members.not_member": "{user} is not a focal point of <b>{agency}</b> (or was already removed).",
    # --- the outbox (bot/messaging/outbox.py) ---
    "help.cmd.hopthu": "📤 /hopthu — messages waiting to be sent, and those that failed",
    "menu.hopthu": "Outbox: waiting and failed",
    "outbox.batch_reports": "📥 <b>{n} new reports</b> from {sources}:",
    "outbox.batch_notices": "📥 <b>{n} new notices</b>:",
    "outbox.item_done": "✅ <b>{agency}</b> reports {code} done «{text}»",
    "outbox.item_blocked": "⚠️ <b>{agency}</b> reports a blocker on {code}: {text}",
    "outbox.item_extension": "📅 <b>{agency}</b> asks to extend {code} to <b>{date}</b> (now: {current}). Reason: {reason}",
    "outbox.failed": "❗ Could not send a message to <b>{where}</b>: «{said}» ({error}). See /hopthu.",
    "outbox.status": "📤 <b>Outbox</b>\nWaiting: <b>{waiting}</b>.\nFailed in the last 7 days: <b>{failed}</b>.",
    "outbox.waiting_head": "\n⏳ <b>Waiting</b> (oldest first):",
    "outbox.waiting_line": "• {at} → {where}: «{said}»{retry}",
    "outbox.retrying": " — try {attempts} at {due}",
    "outbox.failed_head": "\n❗ <b>Failed</b> (latest first):",
    "outbox.failed_line": "• {at} → {where}: «{said}» — {error}",
    "outbox.chart": "📊 The week's summary chart (drawn when sent)",
    "outbox.all_clear": "\n✅ Everything has been sent.",
    "outbox.more": "… and <b>{n}</b> more (counted above)",
    "outbox.page": "Page {page}/{pages}",
}
