"""Citizens' feedback over the API: the public form's twin and the office's inbox."""
from flask import jsonify, request

from ..auth import PUBLIC, access, current, require_office
from ..engine import feedback, offices, tracking
from ..engine.clock import iso
from ..errors import InvalidInput
from . import bp, field, id_field, json_body


def feedback_json(item):
    """An inbox item; ``in_time``: answered within the office's promise (None while due)."""
    return {"id": item.id, "office": item.office_id, "state": item.state, "spam": item.spam,
            "source": item.source, "text": item.text, "contact": item.contact,
            "ticket": item.ticket.number if item.ticket_id else None,
            "answer": item.answer or None, "created_at": iso(item.created_at),
            "answered_at": iso(item.answered_at), "due_at": iso(feedback.answer_due(item)),
            "in_time": feedback.in_time(item)}


@bp.post("/feedback")
@access(PUBLIC)
def submit_feedback():
    """A citizen's feedback ``{"office", "text", "contact"?, "token"?}`` (no login)."""
    data = json_body()
    office = offices.get_office(id_field(data, "office", required=True))
    token = field(data, "token", str, required=False)
    ticket = tracking.by_token(token) if token else None
    item = feedback.submit(office, field(data, "text", str),
                           field(data, "contact", str, required=False, default=""),
                           ticket=ticket, source="api")
    return jsonify({"id": item.id, "state": item.state}), 201


@bp.get("/feedback")
@access("supervisor")
def list_feedback():
    """The office's inbox, newest first; ``state`` new/handling/answered/closed/spam."""
    office = offices.get_office(request.args.get("office") or current().office_id)
    require_office(office.id)
    return jsonify([feedback_json(i) for i in
                    feedback.inbox(office, request.args.get("state") or None)])


def _item(feedback_id):
    item = feedback.get(feedback_id)
    require_office(item.office_id)
    return item


@bp.post("/feedback/<int:feedback_id>/answer")
@access("supervisor")
def answer_feedback(feedback_id):
    """Answer ``{"text"}``: shown on the citizen's tracking page when they sent it from there."""
    item = _item(feedback_id)
    return jsonify(feedback_json(feedback.answer(item, field(json_body(), "text", str),
                                                 user=current())))


@bp.post("/feedback/<int:feedback_id>/state")
@access("supervisor")
def feedback_state(feedback_id):
    """Move ``{"state": "handling"|"closed"}`` or mark ``{"spam": true|false}``."""
    item = _item(feedback_id)
    data = json_body()
    if "spam" in data:
        item = feedback.mark_spam(item, field(data, "spam", bool))
    if data.get("state") is not None:
        item = feedback.move(item, field(data, "state", str), user=current())
    if "spam" not in data and data.get("state") is None:
        raise InvalidInput("Send 'state' or 'spam'.")
    return jsonify(feedback_json(item))
