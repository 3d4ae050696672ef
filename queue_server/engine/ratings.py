"""Satisfaction ratings from the tablet at each counter.

The tablet needs no login, so what it may rate is narrow: only the ticket its
counter finished most recently, only once, and only for a short while after.
"""
from datetime import timedelta

from peewee import IntegrityError

from ..db import db
from ..errors import Conflict, InvalidInput
from ..models import Rating, Ticket, utcnow
from .counters import get_counter

#: level name -> stored score (4 best)
LEVELS = {"very_satisfied": 4, "satisfied": 3, "neutral": 2, "dissatisfied": 1}
#: How long after the finish a ticket can still be rated at its counter.
RATE_WINDOW_S = 60
#: How long after the finish the citizen's phone (its tracking link) may still rate.
PHONE_WINDOW_S = 12 * 3600
MAX_COMMENT = 1000


def pending(counter, at=None, within_s=RATE_WINDOW_S):
    """The ticket the counter's tablet may rate now, or None.

    That is the counter's most recently finished ticket, if it was finished
    within ``within_s`` seconds and has no rating yet.
    """
    at = at or utcnow()
    last = (Ticket.select().where((Ticket.counter == counter) & (Ticket.status == "done"))
            .order_by(Ticket.finished_at.desc(), Ticket.id.desc()).first())
    if last is None or last.finished_at < at - timedelta(seconds=within_s):
        return None
    if Rating.select().where(Rating.ticket == last).exists():
        return None
    return last


def parse_level(level):
    """A level name ("satisfied") or score (1..4, as int or text) -> score, else InvalidInput."""
    if isinstance(level, str) and level in LEVELS:
        return LEVELS[level]
    try:
        score = int(level)
    except (TypeError, ValueError):
        score = None
    if score not in LEVELS.values():
        raise InvalidInput("The rating must be one of: " + ", ".join(LEVELS) + " (or 1..4).",
                           code="bad_rating")
    return score


def _checked(level, comment):
    """(score, comment) of a rating as given, or InvalidInput."""
    score = parse_level(level)
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise InvalidInput(f"The comment is longer than {MAX_COMMENT} characters.",
                           code="comment_too_long")
    return score, comment


def rate(counter_id, ticket_id, level, comment="", *, at=None):
    """Store the rating of ``ticket_id`` given at counter ``counter_id``; returns the Rating.

    Conflict when that ticket is not the one the counter may rate now (another
    was finished since, it is already rated, or the window has passed).
    """
    score, comment = _checked(level, comment)
    try:
        ticket_id = int(ticket_id)
    except (TypeError, ValueError):
        raise InvalidInput("'ticket' must be a ticket id.") from None
    counter = get_counter(counter_id)
    try:
        with db.atomic():
            ticket = pending(counter, at=at)
            if ticket is None or ticket.id != ticket_id:
                raise Conflict("This ticket cannot be rated here now (already rated, "
                               "or another ticket was finished since).", code="not_ratable")
            return Rating.create(ticket=ticket, counter=counter, clerk=ticket.clerk_id,
                                 score=score, comment=comment, created_at=at or utcnow())
    except IntegrityError:
        # Two taps raced: the unique ticket column kept the first.
        raise Conflict("This ticket is already rated.", code="not_ratable") from None


def phone_ratable(ticket, at=None):
    """True when the holder of ``ticket``'s tracking link may rate it from the phone:
    served (done), within PHONE_WINDOW_S of the finish, and not rated yet (at the
    tablet or on the phone: one rating per ticket, whichever comes first)."""
    at = at or utcnow()
    return (ticket.status == "done" and ticket.finished_at is not None
            and ticket.finished_at >= at - timedelta(seconds=PHONE_WINDOW_S)
            and not Rating.select().where(Rating.ticket == ticket.id).exists())


def rate_by_phone(ticket, level, comment="", *, at=None):
    """Store the rating the citizen gives on the phone for their served ``ticket``.

    The same one-rating rule as the tablet (Conflict ``not_ratable``); it counts
    for the counter and clerk that served the ticket.
    """
    score, comment = _checked(level, comment)
    try:
        with db.atomic():
            if not phone_ratable(ticket, at):
                raise Conflict("This ticket cannot be rated (not served, too long ago, or "
                               "already rated).", code="not_ratable")
            return Rating.create(ticket=ticket, counter=ticket.counter_id, clerk=ticket.clerk_id,
                                 score=score, comment=comment, created_at=at or utcnow())
    except IntegrityError:
        raise Conflict("This ticket is already rated.", code="not_ratable") from None


def summary(counter=None, office=None):
    """{score: count} over the ratings of a counter or an office."""
    query = Rating.select(Rating.score)
    if counter is not None:
        query = query.where(Rating.counter == counter)
    if office is not None:
        query = query.join(Ticket).where(Ticket.office == office)
    counts = dict.fromkeys(sorted(LEVELS.values()), 0)
    for row in query:
        counts[row.score] += 1
    return counts
