"""Citizens' feedback and the office's answers: new -> handling -> answered -> closed.

A citizen gives only what they choose: the text and, optionally, a contact; sent
from their phone page it is tied to the ticket, whose tracking page then shows the
answer. Rating comments from the counter's tablet count as feedback too
(``import_rating_comments``). Items can be marked as spam or abuse: they stay in the
inbox, out of the figures.
"""
from datetime import timedelta

from ..db import db
from ..errors import Conflict, InvalidInput, NotFound
from ..models import Feedback, utcnow
from ..models.regions import FEEDBACK_STATES
from . import audit
from .accounts import normalise_text
from .clock import day_bounds_utc

MAX_TEXT, MAX_CONTACT = 2000, 200
#: state -> the states it may move to (a closed item may be reopened for handling)
MOVES = {"new": ("handling", "answered", "closed"), "handling": ("answered", "closed"),
         "answered": ("closed", "handling"), "closed": ("handling",)}


def submit(office, text, contact="", ticket=None, source="phone", at=None):
    """Store a citizen's feedback to ``office``; returns the Feedback."""
    text = normalise_text(text, "The text", multiline=True)
    contact = normalise_text(contact, "The contact")
    if not text:
        raise InvalidInput("Write the feedback first.", code="feedback_empty")
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"The feedback is longer than {MAX_TEXT} characters.",
                           code="feedback_too_long", params={"max": MAX_TEXT})
    if len(contact) > MAX_CONTACT:
        raise InvalidInput(f"The contact is longer than {MAX_CONTACT} characters.",
                           code="contact_too_long")
    if ticket is not None and ticket.office_id != office.id:
        raise InvalidInput("The ticket belongs to another office.", code="other_office")
    with db.atomic():
        return Feedback.create(office=office, ticket=ticket, text=text, contact=contact,
                               source=source, created_at=at or utcnow())


def get(feedback_id):
    """The feedback item, or NotFound."""
    found = Feedback.get_or_none(Feedback.id == feedback_id) \
        if isinstance(feedback_id, int) and 0 < feedback_id < 2 ** 63 else None
    if found is None:
        raise NotFound(f"Feedback {feedback_id} does not exist.")
    return found


def inbox(office, state=None, limit=200):
    """The office's feedback, newest first (rating comments included)."""
    if state is not None and state not in FEEDBACK_STATES + ("spam",):
        raise InvalidInput("'state' must be one of: " + ", ".join(FEEDBACK_STATES + ("spam",))
                           + ".", code="bad_state")
    import_rating_comments()
    query = Feedback.select().where(Feedback.office == office)
    if state == "spam":
        query = query.where(Feedback.spam)
    elif state is not None:
        query = query.where((Feedback.state == state) & ~Feedback.spam)
    return list(query.order_by(Feedback.created_at.desc(), Feedback.id.desc()).limit(limit))


def move(item, state, user=None, at=None):
    """Move ``item`` to ``state`` (``MOVES``); Conflict when that is no move from here."""
    if state not in FEEDBACK_STATES:
        raise InvalidInput("Unknown state.", code="bad_state")
    if state not in MOVES[item.state]:
        raise Conflict(f"Feedback cannot move from {item.state} to {state}.",
                       code="bad_transition")
    if state == "answered":
        raise InvalidInput("Answer with a text (answer()).", code="answer_required")
    at = at or utcnow()
    with db.atomic():
        old, item.state = item.state, state
        if state == "handling" and item.handling_at is None:
            item.handling_at = at
        if state == "closed":
            item.closed_at = at
        item.save()
        audit.record("feedback.state", item, **{"from": old, "to": state})
    return item


def answer(item, text, user=None, at=None):
    """Write the office's answer; the item is then ``answered``."""
    text = normalise_text(text, "The answer", multiline=True)
    if not text:
        raise InvalidInput("Write the answer first.", code="answer_required")
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"The answer is longer than {MAX_TEXT} characters.",
                           code="feedback_too_long", params={"max": MAX_TEXT})
    if item.state == "closed":
        raise Conflict("The feedback is closed; reopen it first.", code="bad_transition")
    at = at or utcnow()
    with db.atomic():
        item.answer, item.state, item.answered_by = text, "answered", user
        item.handling_at = item.handling_at or at
        item.answered_at = item.answered_at or at  # the first answer is the one timed
        item.save()
        audit.record("feedback.answer", item)
    return item


def mark_spam(item, spam=True):
    """Mark (or unmark) ``item`` as spam or abuse."""
    with db.atomic():
        item.spam = bool(spam)
        item.save(only=[Feedback.spam])
        audit.record("feedback.spam", item, spam=bool(spam))
    return item


def for_ticket(ticket):
    """The feedback sent from this ticket's phone page or tablet, oldest first.

    Reads only: a rating comment not yet in the inbox has no answer to show yet, and
    the phone page is read far too often to write on each view.
    """
    return list(Feedback.select().where((Feedback.ticket == ticket) & ~Feedback.spam)
                .order_by(Feedback.created_at, Feedback.id))


def answer_due(item, office=None):
    """When the office promised to have answered ``item`` (naive UTC)."""
    office = office or item.office
    return item.created_at + timedelta(hours=office.feedback_promise_h)


def in_time(item, office=None):
    """True when answered within the promise; False when late or overdue; None while due."""
    due = answer_due(item, office)
    if item.answered_at is not None:
        return item.answered_at <= due
    return False if utcnow() > due else None


def import_rating_comments():
    """Make every rating comment not yet in the inboxes a feedback item (one SQL statement).

    Looks only at ratings newer than the last imported one, less a margin for ratings
    committed out of id order, so it costs nothing when nothing is new.
    """
    last = Feedback.select(Feedback.rating).where(Feedback.rating.is_null(False)) \
        .order_by(Feedback.rating.desc()).limit(1).scalar() or 0
    p = db.param
    with db.atomic():
        db.execute_sql(
            "INSERT INTO feedback (office_id, ticket_id, rating_id, source, text, contact, "
            "state, spam, answer, created_at) SELECT t.office_id, r.ticket_id, r.id, "
            f"'rating', r.comment, '', 'new', {p}, '', r.created_at FROM rating r "
            f"JOIN ticket t ON t.id = r.ticket_id WHERE r.id > {p} AND r.comment <> '' "
            "AND NOT EXISTS (SELECT 1 FROM feedback f WHERE f.rating_id = r.id)",
            (False, max(0, last - 1000)))


def figures(offices, first, last):
    """{office_id: {received, answered, answered_in_time}} for feedback received on the
    offices' local days first..last (spam left out), as the comparison shows them."""
    import_rating_comments()
    out = {o.id: {"received": 0, "answered": 0, "answered_in_time": 0} for o in offices}
    if not offices:
        return out
    bounds = {o.id: day_bounds_utc(o, first, last) for o in offices}
    start = min(b[0] for b in bounds.values())
    end = max(b[1] for b in bounds.values())
    by_id = {o.id: o for o in offices}
    rows = (Feedback.select(Feedback.office, Feedback.created_at, Feedback.answered_at)
            .where(Feedback.office.in_(list(by_id)) & ~Feedback.spam
                   & (Feedback.created_at >= start) & (Feedback.created_at < end)))
    for item in rows:
        lo, hi = bounds[item.office_id]
        if not lo <= item.created_at < hi:
            continue
        row = out[item.office_id]
        row["received"] += 1
        if item.answered_at is not None:
            row["answered"] += 1
            row["answered_in_time"] += int(item.answered_at <= answer_due(
                item, by_id[item.office_id]))
    return out



