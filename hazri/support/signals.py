"""Signals the notification app connects to: sent once the transaction that stored a
ticket's step has committed (never for one rolled back).

    ticket_changed(sender=Ticket, ticket=<Ticket>, event=<TicketEvent>)
"""

from django.dispatch import Signal

ticket_changed = Signal()
