"""Tickets: issue (public), read, and the clerk's transitions."""
from flask import jsonify, request

from ..auth import PUBLIC, access, current, require_office
from ..engine import audit, corrections, counters, offices, remote, tickets
from ..errors import InvalidInput
from ..printing import print_ticket
from ..security import require_kiosk_key
from ..printing import service as printing_service
from . import bp, field, id_field, json_body
from .serialize import ticket_json


@bp.post("/tickets")
@access(PUBLIC)
def issue_ticket():
    """Issue a ticket for a service: 201 with the ticket."""
    data = json_body()
    office = offices.get_office(id_field(data, "office"))
    priority = tickets.validate_priority(data.get("priority", False))
    wants_print = field(data, "print", bool, required=False, default=False)
    printer_id = id_field(data, "printer")
    if wants_print:  # an unknown printer is refused before anything is written
        require_kiosk_key(office)  # a bound kiosk prints; anyone else gets a screen ticket
        printing_service().printer_for(office, printer_id)
    source = field(data, "source", str, required=False, default="api")
    if source not in ("api", "kiosk", "phone"):
        raise InvalidInput("'source' must be \"kiosk\" or \"phone\".")
    if source == "phone":  # from /join: the office's switch and network apply
        remote.check_join(office, request.remote_addr)
    ticket = tickets.issue(office, field(data, "service", str), priority=priority,
                           source=source)
    if wants_print:  # after the commit: a printer problem never loses the ticket
        print_ticket(ticket, printer_id=printer_id)
    return jsonify(ticket_json(ticket, fresh=True)), 201


@bp.get("/tickets/<int:ticket_id>")
@access("clerk")
def get_ticket(ticket_id):
    """One ticket, with its counter once called."""
    ticket = tickets.get_ticket(ticket_id)
    require_office(ticket.office_id)
    return jsonify(ticket_json(ticket))


def _staff_transition(ticket_id, action, *args):
    ticket = tickets.get_ticket(ticket_id)
    require_office(ticket.office_id)
    counters.act_on_ticket(ticket, current())  # a clerk: at the ticket's counter only
    result = action(ticket_id, *args, user=current())
    audit.record_override(action.__name__, ticket, ticket.counter)
    return jsonify(ticket_json(result))


@bp.post("/tickets/<int:ticket_id>/recall")
@access("clerk")
def recall(ticket_id):
    """Call the same ticket again."""
    return _staff_transition(ticket_id, tickets.recall)


@bp.post("/tickets/<int:ticket_id>/start")
@access("clerk")
def start(ticket_id):
    """Start serving the called ticket."""
    return _staff_transition(ticket_id, tickets.start)


@bp.post("/tickets/<int:ticket_id>/finish")
@access("clerk")
def finish(ticket_id):
    """Finish serving."""
    return _staff_transition(ticket_id, tickets.finish)


@bp.post("/tickets/<int:ticket_id>/no-show")
@access("clerk")
def no_show(ticket_id):
    """The called citizen did not come."""
    return _staff_transition(ticket_id, tickets.no_show)


@bp.post("/tickets/<int:ticket_id>/cancel")
@access("clerk")
def cancel(ticket_id):
    """Withdraw a waiting ticket."""
    return _staff_transition(ticket_id, tickets.cancel)


@bp.post("/tickets/<int:ticket_id>/transfer")
@access("clerk")
def transfer(ticket_id):
    """Move the ticket to another service; answers with the new waiting ticket."""
    require_office(tickets.get_ticket(ticket_id).office_id)  # who asks, before what
    code = field(json_body(), "service", str)
    return _staff_transition(ticket_id, tickets.transfer, code)


@bp.post("/tickets/<int:ticket_id>/undo-no-show")
@access("clerk")
def undo_no_show(ticket_id):
    """Put a no-show back in line within a few minutes (409 ``undo_expired`` after)."""
    return _staff_transition(ticket_id, corrections.undo_no_show)


@bp.post("/tickets/<int:ticket_id>/note")
@access("clerk")
def note(ticket_id):
    """Write the clerk's note on the ticket (``{"text": ""}`` clears it)."""
    require_office(tickets.get_ticket(ticket_id).office_id)
    text = field(json_body(), "text", str)
    return _staff_transition(ticket_id, corrections.set_note, text)
