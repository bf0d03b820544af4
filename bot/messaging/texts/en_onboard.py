"""English: bringing agencies on board (issue 21): codes for many agencies at once, the
printable kit, /ganket's onboarding states and the office's nudge. Part of en.py, kept apart
so that each module stays under 500 lines."""

TEXTS: dict[str, str] = {
    "onboard.scope_all": "the agencies without a bound group",
    "onboard.scope_notice": "the agencies of notice {number} without a bound group",
    "onboard.issued_title": "🎫 Issued <b>{n} invite codes</b> for {scope}.",
    "onboard.issued_expiry": "Valid until {expires}; each code works once, and the codes issued earlier to these agencies no longer work.",
    "onboard.issued_line": "{n}. {agency}: <code>{code}</code>",
    "onboard.issued_more": "… and {n} more agencies (see the attached files).",
    "onboard.issued_bound": "{n} agencies already have a bound group and got no new code.",
    "onboard.issued_footer": "The PDF (to print: one page per agency with its QR code), Word and Excel (mail merge) files follow.",
    "onboard.caption_pdf": "The printable kit: a cover for the office's records, then one page per agency.",
    "onboard.caption_docx": "The Word version, to edit before printing.",
    "onboard.caption_xlsx": "The invite codes (Excel) for a mail merge or email.",
    "onboard.all_bound": "Every agency {scope} already has a bound group; no new code is needed. See /ganket.",
    "onboard.all_bound_scope_all": "with tasks",
    "onboard.all_bound_scope_notice": "of notice {number}",
    "onboard.no_work": "No agency has tasks yet. Import a notice first (send the notice file to the bot).",
    "onboard.unknown_notice": "No notice numbered «{number}» assigns tasks to agencies. Notices imported: {numbers}.",
    "onboard.btn_issue": "🎫 Invite codes for {n} agencies",
    "onboard.saved_unbound": "\n🎫 {n} agencies have no bound group: the button below issues their invite codes, with the printable kit.",
    "onboard.kit_failed": "⚠️ The codes were issued but the printable kit could not be made. The codes above still work; try again with <code>/moi {scope}</code> (new codes replace them).",
    "bind.code_revoked": "This invite code was replaced by a newer one. Use the latest code the coordination office sent, or ask for a new one.",
}
