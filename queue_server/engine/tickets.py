"""The ticket lifecycle: one function per transition, each its own transaction.

States: waiting -> called -> serving -> done; called -> done (finished without a
Start press: service is timed from the call, and the log keeps the one "finished"
event from "called", no invented start); called -> no_show; called -> called
(recall, counted); waiting | called | serving -> transferred (a new waiting ticket
in the target service keeps the number and the original issue time); waiting ->
cancelled; waiting | called -> expired (at the office's local midnight).

Back to waiting only through ``engine.corrections``: a no-show undone within a
few minutes (the first call's wait stands) and a called ticket handed back to the
line (release: its wait is measured again at the next call), docs/corrections.md.
"""
import secrets

from ..db import Prepared, db
from ..errors import Conflict, InvalidInput, NotFound
from ..models import Service, Ticket, TicketEvent, utcnow
from . import availability, estimate
from .clock import business_day, local
from .numbering import format_number, next_sequence
from .signals import publish_ticket

PRIORITY_REASONS = ("elderly", "disabled", "pregnant", "children")
ACTIVE_STATUSES = ("called", "serving")

# action -> (statuses it may start from, status it leads to)
TRANSITIONS = {
    "recall": (("called",), "called"),
    "start": (("called",), "serving"),
    "finish": (("called", "serving"), "done"),
    "no_show": (("called",), "no_show"),
    "cancel": (("waiting",), "cancelled"),
    "transfer": (("waiting", "called", "serving"), "transferred"),
    "expire": (("waiting", "called"), "expired"),
    # engine.corrections: back to the line
    "release": (("called", "serving"), "waiting"),
    "undo_no_show": (("no_show",), "waiting"),
}


def new_token():
    """An unguessable tracking token (128 bits)."""
    return secrets.token_urlsafe(16)


def find_service(office, code, *, active_only=True):
    """The office's service with ``code``; NotFound ``unknown_service`` when it has none
    by that code (or it is inactive), InvalidInput when ``code`` is no text."""
    if not isinstance(code, str):
        raise InvalidInput("'service' must be a service code such as \"A\".")
    # No code holds NUL (PostgreSQL refuses it in a query: that was a 500), or is blank.
    found = (_SERVICE_BY_CODE.models(Service, office.id, code.strip())
             if code.strip() and "\x00" not in code else [])
    service = found[0] if found else None
    if service is None or (active_only and not service.active):
        raise NotFound(f"Unknown service {code!r} in this office.", code="unknown_service")
    return service


# Written on every issue and transition (see db.Prepared); columns in model order.
_SERVICE_BY_CODE = Prepared(lambda office_id, code: Service.select().where(
    (Service.office == office_id) & (Service.code == code)))
_INSERT_EVENT = Prepared(lambda ticket, kind, at, from_status, to_status, counter, user, detail:
                         TicketEvent.insert(ticket=ticket, kind=kind, at=at,
                                            from_status=from_status, to_status=to_status,
                                            counter=counter, user=user, detail=detail))
_INSERT_TICKET = Prepared(
    lambda office, service, day, sequence, number, priority, status, issued_at, recall_count,
    source, token, estimated_wait_s, hour, slot_at: Ticket.insert(
        office=office, service=service, day=day, sequence=sequence, number=number,
        priority=priority, status=status, issued_at=issued_at, recall_count=recall_count,
        source=source, token=token, estimated_wait_s=estimated_wait_s, hour=hour,
        slot_at=slot_at,
    ).returning(Ticket.id))


def _id(value):
    return value if value is None or isinstance(value, int) else value.id


def record(ticket, kind, from_status, *, counter=None, user=None, at=None, detail=""):
    """Append a TicketEvent in the caller's transaction."""
    _INSERT_EVENT.rows(ticket.id, kind, at or utcnow(), from_status, ticket.status,
                       _id(counter), _id(user), detail)


def issue(office, service_code, *, priority=False, source="api", at=None):
    """Issue a new waiting ticket for ``service_code`` and return it."""
    at = at or utcnow()
    service = find_service(office, service_code)
    availability.check_issue(office, service, at)  # closed, last ticket, no counter
    with db.atomic():
        ticket = new_ticket(office, service, at, priority=priority, source=source)
    publish_ticket("issued", ticket)
    return ticket


def new_ticket(office, service, at, *, priority=False, source="api", slot_at=None,
               capped=True):
    """Write a waiting ticket in the caller's transaction (who publishes it after the
    commit). ``slot_at``: a booked citizen's slot start, their place in line;
    ``capped``: the service's daily cap and the office's last-ticket rule apply (a
    booking's place is already kept)."""
    day = business_day(office, at)
    sequence = next_sequence(service, day)
    if capped and service.daily_cap is not None and sequence > service.daily_cap:
        raise Conflict(f"Service {service.code} has issued its {service.daily_cap} tickets "
                       "for today.", code="daily_cap_reached")
    # Before the insert: the new ticket takes its place in the replayed line.
    ahead, wait_s = estimate.for_new_ticket(office, service.id, at, priority=bool(priority))
    if capped:
        availability.check_wait(office, at, wait_s)  # the last-ticket "estimate" rule
    ticket = Ticket(office=office, service=service, day=day, sequence=sequence,
                    number=format_number(service.prefix, sequence),
                    priority=bool(priority), status="waiting", issued_at=at,
                    recall_count=0, source=source, token=new_token(),
                    estimated_wait_s=wait_s, hour=local(office, at).hour, slot_at=slot_at)
    (ticket.id,), = _INSERT_TICKET.rows(
        office.id, service.id, day, sequence, ticket.number, ticket.priority, "waiting",
        at, 0, source, ticket.token, wait_s, ticket.hour, slot_at)
    ticket.ahead = ahead  # as handed out with it; ahead_of() counts it again later
    record(ticket, "issued", None, at=at)
    return ticket


def current_ticket(counter):
    """The ticket a counter has called or is serving (its latest call), or None."""
    rows = _ACTIVE_AT.models(Ticket, _id(counter), *ACTIVE_STATUSES)
    return max(rows, key=lambda t: t.called_at) if rows else None


_ACTIVE_AT = Prepared(lambda counter, called, serving: Ticket.select().where(
    (Ticket.counter == counter) & Ticket.status.in_([called, serving])))
#: What a transition writes (``_transition``'s changes are among these columns).
_SAVE_TRANSITION = Prepared(
    lambda status, started_at, finished_at, recall_count, service_s, ticket_id: Ticket.update(
        status=status, started_at=started_at, finished_at=finished_at,
        recall_count=recall_count, service_s=service_s).where(Ticket.id == ticket_id))


def get_ticket(ticket_id):
    """The ticket with ``ticket_id``, or NotFound."""
    return Ticket.find(ticket_id)


def lock_ticket(ticket_id):
    """Load a ticket for update inside a transaction (row lock on PostgreSQL)."""
    return Ticket.find(ticket_id, lock=True)


def check(ticket, action):
    """Raise Conflict unless ``action`` is allowed from the ticket's status."""
    allowed, _ = TRANSITIONS[action]
    if ticket.status not in allowed:
        done = _DONE.get(action, action.replace("_", "-") + "ed")
        raise Conflict(f"Ticket {ticket.number} is {ticket.status}; it cannot be "
                       f"{done} now (allowed from: {', '.join(allowed)}).",
                       code="invalid_transition")


_DONE = {"release": "handed back to the line", "undo_no_show": "put back in line",
         "finish": "finished", "cancel": "cancelled", "expire": "expired",
         "transfer": "transferred"}


def _transition(ticket_id, action, *, user=None, at=None, detail="", **changes):
    at = at or utcnow()
    with db.atomic():
        ticket = lock_ticket(ticket_id)
        check(ticket, action)
        before = ticket.status
        ticket.status = TRANSITIONS[action][1]
        for name, value in changes.items():
            setattr(ticket, name, value(ticket, at) if callable(value) else value)
        _SAVE_TRANSITION.run(ticket.status, ticket.started_at, ticket.finished_at,
                             ticket.recall_count, ticket.service_s, ticket.id)
        record(ticket, action if action != "recall" else "recalled", before,
               counter=ticket.counter_id, user=user, at=at,
               detail=detail(before) if callable(detail) else detail)
    kind = {"recall": "recalled", "start": "started", "finish": "finished",
            "cancel": "cancelled", "expire": "expired"}.get(action, action)
    publish_ticket(kind, ticket)
    return ticket


def recall(ticket_id, *, user=None, at=None):
    """Call the same ticket again (counted); the board flashes it again."""
    return _transition(ticket_id, "recall", user=user, at=at,
                       recall_count=lambda t, _: t.recall_count + 1)


def start(ticket_id, *, user=None, at=None):
    """The citizen has arrived at the counter: service begins."""
    return _transition(ticket_id, "start", user=user, at=at, started_at=lambda _, at: at)


def finish(ticket_id, *, user=None, at=None):
    """Service is over; straight from "called" too (no Start press): then the service
    time runs from the call and ``started_at`` stays empty (nobody pressed Start)."""
    return _transition(ticket_id, "finish", user=user, at=at, finished_at=lambda _, at: at,
                       service_s=lambda t, at: round(
                           (at - (t.started_at or t.called_at)).total_seconds()),
                       detail=lambda before: "without start: timed from the call"
                       if before == "called" else "")


def no_show(ticket_id, *, user=None, at=None):
    """The called citizen did not come."""
    return _transition(ticket_id, "no_show", user=user, at=at, finished_at=lambda _, at: at)


def cancel(ticket_id, *, user=None, at=None):
    """A waiting ticket is withdrawn."""
    return _transition(ticket_id, "cancel", user=user, at=at, finished_at=lambda _, at: at)


def transfer(ticket_id, service_code, *, user=None, at=None):
    """Move a ticket to another service, keeping its number and place in line.

    Returns the new waiting ticket; it takes over the tracking token so the
    citizen's QR code keeps working.
    """
    at = at or utcnow()
    with db.atomic():
        old = lock_ticket(ticket_id)
        target = find_service(old.office, service_code)
        check(old, "transfer")
        if target.id == old.service_id:
            raise Conflict(f"Ticket {old.number} is already in service {target.code}.",
                           code="same_service")
        before, token = old.status, old.token
        old.status, old.finished_at, old.token = "transferred", at, new_token()
        old.save()
        new = Ticket.create(office=old.office, service=target, day=old.day,
                            sequence=old.sequence, number=old.number, priority=old.priority,
                            status="waiting", issued_at=old.issued_at, source=old.source,
                            token=token, transferred_from=old, print_status=old.print_status,
                            hour=old.hour, slot_at=old.slot_at)
        record(old, "transferred", before, counter=old.counter_id, user=user, at=at,
               detail=f"to {target.code} as ticket {new.id}")
        record(new, "transferred_in", None, user=user, at=at,
               detail=f"from ticket {old.id}")
    publish_ticket("transferred", new, previous=old)
    return new


def expire_before(office, day, *, at=None):
    """Close tickets of earlier business days still waiting or called. Returns how many."""
    at = at or utcnow()
    stale = [t.id for t in Ticket.select(Ticket.id).where(
        (Ticket.office == office) & (Ticket.day < day)
        & (Ticket.status.in_(TRANSITIONS["expire"][0])))]
    for ticket_id in stale:
        try:
            _transition(ticket_id, "expire", at=at, finished_at=lambda _, at: at)
        except Conflict:
            pass  # changed meanwhile by a clerk: nothing to expire
    return len(stale)


def validate_priority(value):
    """Priority is a boolean, or one of the reasons (which means True)."""
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, str) and value in PRIORITY_REASONS:
        return True
    raise InvalidInput("'priority' must be true, false or one of: " + ", ".join(PRIORITY_REASONS))
