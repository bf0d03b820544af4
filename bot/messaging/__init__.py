"""What goes out to chats: the text catalogue, presenters, keyboards and delivery.

Handlers (answers to users) and jobs (reminders, the weekly summary) both send through
here, so neither imports the other. No handler registration and no scheduling here.
"""
