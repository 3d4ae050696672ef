"""Offices and the public view of their services."""
from peewee import fn

from ..db import Prepared
from ..errors import InvalidInput, NotFound
from ..models import MAX_ID, Office, Service, Ticket
from .availability import served_ids
from .clock import business_day
from .estimate import estimate_seconds


# Asked on every public request (see db.Prepared).
_FIRST_OFFICES = Prepared(lambda n: Office.select().order_by(Office.id).limit(n))
_OFFICE = Prepared(lambda office_id: Office.select().where(Office.id == office_id))


def get_office(office_id=None):
    """The office with ``office_id``; may be left out while there is exactly one office."""
    if office_id is None:
        offices = _FIRST_OFFICES.models(Office, 2)
        if len(offices) != 1:
            raise InvalidInput("'office' is required: this server has several offices.",
                               code="office_required")
        return offices[0]
    if isinstance(office_id, str) and office_id.isascii() and office_id.isdigit():
        office_id = int(office_id)
    # 1.5 or True is no office 1; "²" passes str.isdigit but int() refuses it.
    if isinstance(office_id, bool) or not isinstance(office_id, int):
        raise InvalidInput("'office' must be an office id (an integer).")
    found = _OFFICE.models(Office, office_id) if 0 < office_id <= MAX_ID else []
    if not found:
        raise NotFound(f"Office {office_id} does not exist.")
    return found[0]


def waiting_counts(office, day=None):
    """{service_id: waiting tickets today} for the office."""
    day = day or business_day(office)
    rows = (Ticket.select(Ticket.service, fn.COUNT(Ticket.id).alias("n"))
            .where((Ticket.office == office) & (Ticket.day == day)
                   & (Ticket.status == "waiting"))
            .group_by(Ticket.service).tuples())
    return dict(rows)


def service_board(office, *, unserved=False):
    """Active services with people waiting and the estimated wait for a new ticket.

    Only the services some active counter serves (the kiosk offers no other);
    ``unserved=True`` adds the others, marked ``"served": False`` with no estimate.
    """
    counts = waiting_counts(office)
    served = served_ids(office)
    services = Service.select().where((Service.office == office) & Service.active)
    return [{"service": s, "waiting": counts.get(s.id, 0), "served": s.id in served,
             "estimated_wait_s": (estimate_seconds(s.id, counts.get(s.id, 0))
                                  if s.id in served else None)}
            for s in services.order_by(Service.code) if unserved or s.id in served]
