"""Counters: the waiting list, call the next or a chosen ticket, pause and resume."""
from flask import jsonify

from ..auth import access, current, require_office
from ..engine import audit, calling, counters, leaving
from ..engine.clock import iso
from . import bp, field, id_field, json_body, optional_json_body
from .serialize import ticket_json


def _counter_here(counter_id):
    counter = counters.get_counter(counter_id)
    require_office(counter.office_id)
    return counter


@bp.get("/counters/<int:counter_id>/waiting")
@access("clerk")
def waiting(counter_id):
    """The tickets this counter would call, in the order it would call them."""
    counter = _counter_here(counter_id)
    return jsonify([{"id": t["id"], "number": t["number"], "service": t["service"],
                     "priority": t["priority"], "issued_at": iso(t["issued_at"]),
                     "waited_s": t["waited_s"], "source": t["source"], "note": t["note"]}
                    for t in calling.waiting_list(counter)])


@bp.post("/counters/<int:counter_id>/call")
@access("clerk")
def call(counter_id):
    """Call the chosen waiting ticket here: 200, or 409 (not waiting, not served here)."""
    counter = _counter_here(counter_id)
    ticket_id = id_field(json_body(), "ticket", required=True)
    counter = counters.act_at(counter, current())
    ticket = calling.call_ticket(counter_id, ticket_id, user=current())
    audit.record_override("call", counter, counter)
    return jsonify({"ticket": ticket_json(ticket)})


@bp.post("/counters/<int:counter_id>/finish-and-call-next")
@access("clerk")
def finish_and_call_next(counter_id):
    """Finish the counter's ticket and call the next: 200 with both (``called`` null
    when nobody waits)."""
    counter = _counter_here(counter_id)
    ticket_id = id_field(json_body(), "ticket", required=True)
    counter = counters.act_at(counter, current())
    done, called = calling.finish_and_call_next(counter_id, ticket_id, user=current())
    audit.record_override("finish_and_call_next", counter, counter)
    return jsonify({"finished": ticket_json(done),
                    "called": ticket_json(called) if called else None})


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
    """End the sign-in at the counter (its clerk, or a supervisor or admin); a ticket
    still there needs ``{"ticket": "finish"|"no_show"|"release"}`` (else 409)."""
    counter = _counter_here(counter_id)
    disposition = field(optional_json_body(), "ticket", str, required=False)
    result = leaving.sign_out_at(counter_id, current(), disposition)
    audit.record_override("sign_out", counter, counter)  # the counter as it was
    return jsonify(counter_json(result))
