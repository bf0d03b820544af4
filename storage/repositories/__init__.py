"""Repositories: every SQL statement of the application, one module per aggregate.

Each function takes the unit of work first and everything else by keyword
(`await tasks.assignment_row(uow, assignment_id=12)`), and never commits: the unit of work
does (storage/unit_of_work.py). Services call these; they build no statement themselves
(tests/storage/test_sql_lives_in_storage.py).

* tasks: tasks and their assignments (lists, cards, the sweep's states, the reply's target);
* progress: the append-only progress history and extension requests;
* reminder_log, dispatch_log: the exactly-once claims of reminders and of other sends;
* conversation: message links and the questions the bot asked;
* summary: the roll-up's counts and lists, and the export's task list;
* notices: notices and import drafts;
* agencies, people, bindings: agencies and aliases; people, memberships and who is writing
  where; chat bindings, invite codes and where to write;
* calendar: the office's own holidays and working days.
"""
