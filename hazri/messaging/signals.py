"""Signals the notification app connects to: sent once the transaction that stored
a new message or notice has committed (never for one rolled back).

    message_posted(sender=Message, message=<Message>)
    notice_posted(sender=ClassNotice, notice=<ClassNotice>)
"""

from django.dispatch import Signal

message_posted = Signal()
notice_posted = Signal()
