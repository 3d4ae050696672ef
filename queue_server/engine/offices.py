"""Offices and the public view of their services."""
from peewee import fn

from ..errors import InvalidInput, NotFound
from ..models import Office, Service, Ticket
from .clock import business_day
from .estimate import estimate_seconds


def get_office(office_id=None):
    """The office with ``office_id``; may be left out while there is exactly one office."""
    if office_id is None:
        offices = list(Office.select().limit(2))
        if len(offices) != 1:
            raise InvalidInput("'office' is required: this server has several offices.",
                               code="office_required")
        return offices[0]
    try:
        office_id = int(office_id)
    except (TypeError, ValueError):
        raise InvalidInput("'office' must be an office id (an integer).") from None
    office = Office.get_or_none(Office.id == office_id)
    if office is None:
        raise NotFound(f"Office {office_id} does not exist.")
    return office


def waiting_counts(office, day=None):
    """{service_id: waiting tickets today} for the office."""
    day = day or business_day(office)
    rows = (Ticket.select(Ticket.service, fn.COUNT(Ticket.id).alias("n"))
            .where((Ticket.office == office) & (Ticket.day == day)
                   & (Ticket.status == "waiting"))
            .group_by(Ticket.service).tuples())
    return dict(rows)


def service_board(office):
    """Active services with people waiting and the estimated wait for a new ticket."""
    counts = waiting_counts(office)
    services = Service.select().where((Service.office == office) & Service.active)
    return [{"service": s, "waiting": counts.get(s.id, 0),
             "estimated_wait_s": estimate_seconds(s.id, counts.get(s.id, 0))}
            for s in services.order_by(Service.code)]
