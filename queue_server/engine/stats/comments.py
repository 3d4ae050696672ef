"""Citizens' rating comments over a range of local days, with what they rated.

A rating belongs to its ticket's local day (``Ticket.day``), like every report
figure; the comment's own time is ``Rating.created_at``.
"""
from datetime import timedelta

from peewee import JOIN, SQL

from ...errors import InvalidInput
from ...models import Counter, Rating, Ticket, User
from ..clock import day_bounds_utc, iso
from ..ratings import PHONE_WINDOW_S

#: At most this many comments are read at once (newest first).
MAX_COMMENTS = 1000


def comments(office, first, last, *, score=None, counter=None, clerk=None,
             limit=MAX_COMMENTS):
    """The non-empty rating comments of ``office`` on local days first..last, newest
    first: [{"ticket", "number", "service", "score", "comment", "at", "counter",
    "counter_name", "clerk", "clerk_name"}]. Filters: ``score`` (1..4), ``counter``
    (its number), ``clerk`` (username)."""
    start, end = day_bounds_utc(office, first, last)
    end += timedelta(seconds=PHONE_WINDOW_S) + timedelta(days=1)
    # From the newest commented ratings to their tickets (the partial index
    # rating_comment_newest; SQLite takes a CROSS JOIN as "in this order", PostgreSQL
    # plans it as the inner join it is), not from a year of tickets to their ratings.
    query = (Rating.select(Rating, Ticket, Counter, User)
             .join(Ticket, JOIN.CROSS)
             .switch(Rating).join(Counter, on=(Rating.counter == Counter.id))
             .switch(Rating).join(User, on=(Rating.clerk == User.id), join_type=JOIN.LEFT_OUTER)
             .where((Rating.ticket == Ticket.id) & (Ticket.office == office)
                    & (Ticket.day >= first) & (Ticket.day <= last)
                    & (Rating.comment != SQL("''"))
                    # only narrows the index range: a ticket is rated after it was
                    # issued, and at most PHONE_WINDOW_S after its finish
                    & (Rating.created_at >= start) & (Rating.created_at < end))
             .order_by(Rating.created_at.desc(), Rating.id.desc())
             .limit(max(1, min(int(limit), MAX_COMMENTS))))
    if score not in (None, ""):
        query = query.where(Rating.score == _whole(score, "score", 1, 4))
    if counter not in (None, ""):
        query = query.where(Counter.number == _whole(counter, "counter", 1, 10 ** 6))
    if clerk not in (None, ""):
        if not isinstance(clerk, str) or len(clerk) > 64:
            raise InvalidInput("'clerk' must be a username (64 characters at most).")
        if "\x00" in clerk:
            return []  # no username holds NUL (and PostgreSQL refuses it in a query)
        query = query.where(User.username == clerk)
    rows = []
    for rating in query:
        ticket, desk = rating.ticket, rating.counter
        user = rating.clerk if rating.clerk_id is not None else None
        rows.append({"ticket": ticket.id, "number": ticket.number,
                     "service": ticket.service.code, "score": rating.score,
                     "comment": rating.comment, "at": iso(rating.created_at),
                     "counter": desk.number, "counter_name": desk.name,
                     "clerk": user.username if user else None,
                     "clerk_name": (user.full_name or user.username) if user else None})
    return rows


def _whole(value, name, low, high):
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or isinstance(value, bool) or not low <= number <= high:
        raise InvalidInput(f"'{name}' must be a whole number from {low} to {high}.")
    return number
