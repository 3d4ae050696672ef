"""Counters: call the next ticket, pause and resume."""
from flask import jsonify

from ..auth import access, current, require_office
from ..engine import calling, counters
from . import bp
from .serialize import ticket_json


@bp.post("/counters/<int:counter_id>/call-next")
@access("clerk")
def call_next(counter_id):
    """200 with the called ticket, or 204 when nobody waits."""
    counter = counters.get_counter(counter_id)
    require_office(counter.office_id)
    ticket = calling.call_next(counter_id, user=current())
    if ticket is None:
        return "", 204
    return jsonify({"ticket": ticket_json(ticket)})


def counter_json(counter):
    """A counter's public state."""
    return {"id": counter.id, "number": counter.number, "name": counter.name,
            "active": counter.active, "paused": counter.paused,
            "services": [s.code for s in counters.services_of(counter)]}


@bp.post("/counters/<int:counter_id>/pause")
@access("clerk")
def pause(counter_id):
    """Pause the counter: it takes no calls."""
    require_office(counters.get_counter(counter_id).office_id)
    return jsonify(counter_json(counters.pause(counter_id)))


@bp.post("/counters/<int:counter_id>/resume")
@access("clerk")
def resume(counter_id):
    """Resume a paused counter."""
    require_office(counters.get_counter(counter_id).office_id)
    return jsonify(counter_json(counters.resume(counter_id)))
