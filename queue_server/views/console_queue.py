"""The console's waiting list: call a chosen ticket, cancel, reprint; the note on the
current ticket; a no-show undone (routes on ``console.bp``)."""
from flask import flash
from flask_babel import gettext as _

from ..auth import access, current
from ..engine import calling, corrections, counters, tickets
from ..errors import Conflict, NotFound
from ..forms import ActionForm, NoteForm
from ..printing import print_ticket
from .console import _act, bp, ticket_id_of
from .screens import valid_or_400


def _waiting_here(counter, form):
    """The waiting ticket the form names, checked to be the clerk's to act on."""
    ticket = tickets.get_ticket(ticket_id_of(form))
    counters.act_on_ticket(ticket, current())
    if ticket.office_id != counter.office_id:
        raise NotFound("That ticket no longer exists.")
    return ticket


@bp.post("/call")
@access("clerk")
def call_chosen():
    """Call the ticket chosen in the list (the citizen at the desk, ticket in hand)."""
    form = ActionForm()
    valid_or_400(form)

    def run(counter):
        calling.call_ticket(counter.id, ticket_id_of(form), user=current())
    return _act(run)


@bp.post("/cancel")
@access("clerk")
def cancel():
    """Withdraw a waiting ticket (the citizen gave up, or took two)."""
    form = ActionForm()
    valid_or_400(form)

    def run(counter):
        ticket = tickets.cancel(_waiting_here(counter, form).id, user=current())
        return _("Ticket %(number)s cancelled.", number=ticket.number)
    return _act(run)


@bp.post("/reprint")
@access("clerk")
def reprint():
    """Print a ticket again at the office's kiosk printer."""
    form = ActionForm()
    valid_or_400(form)

    def run(counter):
        ticket = _waiting_here(counter, form)
        print_ticket(ticket, printer_id=None)
        return _("Ticket %(number)s sent to the printer again.", number=ticket.number)
    return _act(run)


@bp.post("/note")
@access("clerk")
def note():
    """Save the note on the counter's current ticket."""
    form = NoteForm()
    if not valid_or_400(form):
        flash(_("A note is at most 500 characters."), "error")
        return _act(lambda counter: None)

    def run(counter):
        ticket = tickets.get_ticket(ticket_id_of(form))
        if ticket.counter_id != counter.id:
            raise Conflict("not yours", code="invalid_transition")
        corrections.set_note(ticket.id, form.note.data or "", user=current())
        return _("Note saved.")
    return _act(run)


@bp.post("/undo-no-show")
@access("clerk")
def undo_no_show():
    """Put the counter's last no-show back in line (within 5 minutes)."""
    form = ActionForm()
    valid_or_400(form)

    def run(counter):
        ticket = tickets.get_ticket(ticket_id_of(form))
        if ticket.counter_id != counter.id:
            raise Conflict("not yours", code="invalid_transition")
        corrections.undo_no_show(ticket.id, user=current())
        return _("Ticket %(number)s is back in line.", number=ticket.number)
    return _act(run)
