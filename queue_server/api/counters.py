"""Counters: call the next ticket, pause and resume."""
from flask import jsonify

from ..auth import access, current, require_office
from ..engine import audit, calling, counters
from . import bp
from .serialize import ticket_json


@bp.post("/counters/<int:counter_id>/call-next")
@access("clerk")
def call_next(counter_id):
    """200 with the called ticket, or 204 when nobody waits."""
    counter = counters.get_counter(counter_id)
    require_office(counter.office_id)
    counter = counters.act_at(counter, current())  # a clerk's own counter (or a free one)
    ticket = calling.call_next(counter_id, user=current())
    audit.record_override("call_next", counter, counter)
    if ticket is None:
        return "", 204
    return jsonify({"ticket": ticket_json(ticket)})


def counter_json(counter):
    """A counter's public state."""
    return {"id": counter.id, "number": counter.number, "name": counter.name,
            "active": counter.active, "paused": counter.paused,
            "clerk": counter.clerk.username if counter.clerk_id else None,
            "services": [s.code for s in counters.services_of(counter)]}


def _set_paused(counter_id, change, action):
    counter = counters.get_counter(counter_id)
    require_office(counter.office_id)
    counter = counters.act_at(counter, current())
    result = change(counter_id)
    audit.record_override(action, counter, counter)
    return jsonify(counter_json(result))


@bp.post("/counters/<int:counter_id>/pause")
@access("clerk")
def pause(counter_id):
    """Pause the counter: it takes no calls."""
    return _set_paused(counter_id, counters.pause, "pause")


@bp.post("/counters/<int:counter_id>/resume")
@access("clerk")
def resume(counter_id):
    """Resume a paused counter."""
    return _set_paused(counter_id, counters.resume, "resume")


@bp.post("/counters/<int:counter_id>/sign-out")
@access("clerk")
def sign_out_counter(counter_id):
    """End the sign-in at the counter (its clerk, or a supervisor or admin)."""
    counter = counters.get_counter(counter_id)
    require_office(counter.office_id)
    result = counters.sign_out_at(counter_id, current())
    audit.record_override("sign_out", counter, counter)  # the counter as it was
    return jsonify(counter_json(result))
