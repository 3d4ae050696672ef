"""The supervisor's API: alerts, releasing a stranded ticket, counters opened or closed
for a service, waiting tickets moved (supervisor or above, own office)."""
from flask import current_app, jsonify, request

from .. import alert_text
from ..auth import access, current, require_office
from ..engine import alerts, counters, offices, supervision, tickets
from ..errors import InvalidInput
from . import bp, field, id_field, json_body
from .counters import counter_json
from .serialize import ticket_json
from .stats import office_param


@bp.get("/alerts")
@access("supervisor")
def alert_list():
    """What needs a supervisor now: ``[{"kind", "message", "since", ...}]``."""
    office = office_param()
    found = alerts.for_office(office, **alerts.settings(current_app.config))
    return jsonify([{**a, "message": alert_text.message(a)} for a in found])


@bp.post("/tickets/<int:ticket_id>/release")
@access("supervisor")
def release(ticket_id):
    """A called ticket back to its line (stranded at a closed counter, say)."""
    ticket = tickets.get_ticket(ticket_id)
    require_office(ticket.office_id)
    return jsonify(ticket_json(supervision.release(ticket_id, user=current())))


@bp.post("/counters/<int:counter_id>/services")
@access("supervisor")
def counter_services(counter_id):
    """Open (``{"service": "B", "serves": true}``) or close the counter for a service."""
    counter = counters.get_counter(counter_id)
    require_office(counter.office_id)
    data = json_body()
    supervision.set_serves(counter, field(data, "service", str), field(data, "serves", bool))
    return jsonify(counter_json(counters.get_counter(counter_id)))


@bp.post("/services/move-waiting")
@access("supervisor")
def move_waiting():
    """Move today's waiting tickets of ``from`` to ``to`` (``tickets``: only these ids)."""
    data = json_body()
    office = offices.get_office(id_field(data, "office") if data.get("office") is not None
                                else request.args.get("office"))
    require_office(office.id)
    ids = data.get("tickets")
    if ids is not None:
        if not isinstance(ids, list) or len(ids) > 1000:
            raise InvalidInput("'tickets' must be a list of at most 1000 ticket ids.")
        ids = [id_field({"ticket": i}, "ticket", required=True) for i in ids]
    moved = supervision.move_waiting(office, field(data, "from", str), field(data, "to", str),
                                     user=current(), ticket_ids=ids)
    return jsonify({"moved": moved})
