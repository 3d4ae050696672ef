"""What waiting-room boards and counter displays show: plain queries, no Flask.

A board shows one office, or one zone of it. A zone names the services and the
counters it shows; an empty list means all of them, and a call is shown when
both its service and its counter pass.
"""
import hmac

from ..db import Prepared, db
from ..errors import Conflict, Forbidden, InvalidInput, NotFound
from ..models import Counter, DisplayZone, Office, Service, Ticket, by_id, utcnow
from . import audit
from .clock import business_day, iso
from .offices import waiting_counts
from .signals import publish_office
from .tickets import ACTIVE_STATUSES, current_ticket

#: How many past calls a board lists beside the current ones.
RECENT = 8
RECENT_MAX = 20
ZONE_NAME_MAX = 64


def _split(text):
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def zone_services(zone):
    """The service codes a zone shows (empty: all)."""
    return set(_split(zone.service_codes)) if zone else set()


def zone_counters(zone):
    """The counter numbers a zone shows (empty: all)."""
    return {int(n) for n in _split(zone.counter_numbers) if n.isdigit()} if zone else set()


def _is_text(value):
    """False for a string no database could store (a lone surrogate such as "\\ud800",
    or NUL, which PostgreSQL refuses even in a query)."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_display_key(office, key):
    """Forbidden unless ``key`` opens the office's boards (any key when it sets none)."""
    if not office.display_key:
        return
    if not isinstance(key, str) or not _is_text(key) or not hmac.compare_digest(
            key.encode(), office.display_key.encode()):
        raise Forbidden("This office's boards need its display key.", code="bad_display_key")


def get_zone(office, name):
    """The office's zone called ``name``; None when ``name`` is empty; else NotFound."""
    if not name:
        return None
    if not isinstance(name, str) or len(name) > ZONE_NAME_MAX or not _is_text(name):
        raise InvalidInput("'zone' must be a zone name.")
    zone = DisplayZone.get_or_none((DisplayZone.office == office) & (DisplayZone.name == name))
    if zone is None:
        raise NotFound(f"Office {office.id} has no display zone {name!r}.")
    return zone


def save_zone(office, name, services=(), counters=(), zone=None, replace=True):
    """Create or replace the zone ``name``: service codes and counter numbers it shows.

    ``zone``: an existing zone of the office to update (and rename to ``name``);
    ``replace=False``: another zone called ``name`` is a Conflict, not replaced.
    Codes and numbers must be the office's services and counters (empty: all).
    """
    name = (name or "").strip()
    if not name or len(name) > ZONE_NAME_MAX or "," in name:
        raise InvalidInput(f"A zone name is 1 to {ZONE_NAME_MAX} characters, without commas.",
                           code="bad_zone_name")
    codes = ",".join(_zone_codes(office, services))
    numbers = ",".join(str(n) for n in _zone_numbers(office, counters))
    clash = DisplayZone.select().where((DisplayZone.office == office)
                                       & (DisplayZone.name == name))
    if zone is not None:
        clash = clash.where(DisplayZone.id != zone.id)
    if (zone is not None or not replace) and clash.exists():
        raise Conflict(f"Zone {name!r} already exists in this office.", code="duplicate")
    with db.atomic():
        if zone is None:
            zone, created = DisplayZone.get_or_create(office=office, name=name, defaults={
                "service_codes": codes, "counter_numbers": numbers})
        else:
            created = False
        if not created:
            zone.name, zone.service_codes, zone.counter_numbers = name, codes, numbers
            zone.save()
        audit.record("zone.create" if created else "zone.update", zone, office=office.id,
                     name=name, services=codes, counters=numbers)
    publish_office("zone", office.id)
    return zone


def _zone_codes(office, services):
    codes = list(dict.fromkeys(str(code).strip().upper() for code in services
                               if str(code).strip()))
    known = {s.code for s in Service.select(Service.code).where(Service.office == office)}
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise InvalidInput(f"Unknown service code(s): {', '.join(unknown)}.",
                           code="unknown_service", params={"codes": ", ".join(unknown)})
    return codes


def _zone_numbers(office, counters):
    texts = [str(number).strip() for number in counters if str(number).strip()]
    if not all(text.isdigit() and len(text) <= 6 for text in texts):
        raise InvalidInput("Counter numbers are whole numbers, e.g. 1, 2.",
                           code="unknown_counter", params={"numbers": ", ".join(
                               t for t in texts if not (t.isdigit() and len(t) <= 6))})
    numbers = list(dict.fromkeys(int(text) for text in texts))
    known = {c.number for c in Counter.select(Counter.number).where(Counter.office == office)}
    unknown = [str(n) for n in numbers if n not in known]
    if unknown:
        raise InvalidInput(f"Unknown counter number(s): {', '.join(unknown)}.",
                           code="unknown_counter", params={"numbers": ", ".join(unknown)})
    return numbers


def remove_zone(zone):
    """Delete a zone (nothing refers to it; its board URL stops working)."""
    with db.atomic():
        audit.record("zone.delete", zone, office=zone.office_id, name=zone.name)
        zone.delete_instance()
    publish_office("zone", zone.office_id)
    return "deleted"


def zone_shows(zone, service_code=None, counter_number=None):
    """True when ``zone`` (None = the whole office) shows this service and counter."""
    services, counters = zone_services(zone), zone_counters(zone)
    if service_code is not None and services and service_code not in services:
        return False
    if counter_number is not None and counters and counter_number not in counters:
        return False
    return True


def zones_showing(office_id, service_code=None, counter_number=None):
    """The office's zones that show a call of ``service_code`` at ``counter_number``."""
    return [zone for zone in zones_of(office_id)
            if zone_shows(zone, service_code, counter_number)]


_ZONES = Prepared(lambda office_id: DisplayZone.select().where(DisplayZone.office == office_id))


def zones_of(office_id):
    """Every display zone of an office."""
    return _ZONES.models(DisplayZone, office_id)


def counter_ids_of(office_id):
    """The ids of an office's counters (each may have a display above it)."""
    return [c for (c,) in Counter.select(Counter.id).where(Counter.office == office_id).tuples()]


def call_view(ticket, recall=False):
    """A called ticket as boards see it (the same keys as the ``ticket_called`` event)."""
    return {"number": ticket.number, "counter": ticket.counter.number,
            "counter_name": ticket.counter.name, "service": ticket.service.code,
            "called_at": iso(ticket.called_at), "recall": recall}


def _zone_filter(query, zone):
    services, counters = zone_services(zone), zone_counters(zone)
    if services:
        query = query.where(Service.code.in_(sorted(services)))
    if counters:
        query = query.where(Counter.number.in_(sorted(counters)))
    return query


def _calls(office, zone):
    query = (Ticket.select(Ticket, Service, Counter)
             .join(Service, on=(Ticket.service == Service.id))
             .switch(Ticket).join(Counter, on=(Ticket.counter == Counter.id))
             .where((Ticket.office == office) & (Ticket.day == business_day(office))
                    & Ticket.called_at.is_null(False)))
    return _zone_filter(query, zone)


def current_calls(office, zone=None):
    """Tickets called or being served now, newest call first."""
    query = _calls(office, zone).where(Ticket.status.in_(ACTIVE_STATUSES))
    return [call_view(t) for t in query.order_by(Ticket.called_at.desc(), Ticket.id.desc())]


def recent_calls(office, zone=None, limit=RECENT):
    """Today's last ``limit`` calls, whatever became of them, newest first.

    A transferred ticket keeps its number and may be called again in its new
    service: only its newest call is listed, never the same number twice.
    """
    query = _calls(office, zone).order_by(Ticket.called_at.desc(), Ticket.id.desc())
    calls, seen = [], set()
    for ticket in query.limit(limit * 2 + 10):
        if ticket.number not in seen:
            seen.add(ticket.number)
            calls.append(call_view(ticket))
        if len(calls) == limit:
            break
    return calls


ANNOUNCE = ("vi", "en")


def announce_languages(office, asked=None):
    """The languages a board of ``office`` announces calls in, in turn.

    ``asked`` (the board's ``?lang=vi,en``) wins, then the office's choice
    (``Office.announce_languages``), then the default: the office's language, then
    the other one when its services have English names (a citizen who reads
    the English name on the kiosk hears the call in English too).
    """
    for text in (asked, office.announce_languages):
        chosen = list(dict.fromkeys(x for x in (text or "").split(",") if x in ANNOUNCE))
        if chosen:
            return chosen
    first = office.default_language if office.default_language in ANNOUNCE else "vi"
    english = (Service.select().where((Service.office == office) & Service.active
                                      & (Service.name_en != "")).exists())
    return [first, "en" if first == "vi" else "vi"] if english else [first]


def waiting(office, zone=None):
    """People waiting per active service of the board's zone."""
    counts = waiting_counts(office)
    services = (Service.select().where((Service.office == office) & Service.active)
                .order_by(Service.code))
    return [{"service": s.code, "name_vi": s.name_vi, "name_en": s.name_en or s.name_vi,
             "waiting": counts.get(s.id, 0)}
            for s in services if zone_shows(zone, service_code=s.code)]


def waiting_per_zone(office_id):
    """[(None, waiting for the whole office), (zone, waiting in that zone), ...]."""
    office = Office.get_by_id(office_id)
    everything = waiting(office)
    result = [(None, everything)]
    for zone in DisplayZone.select().where(DisplayZone.office == office_id):
        result.append((zone, [row for row in everything if zone_shows(zone, row["service"])]))
    return result


def counter_state(counter):
    """A counter as its display shows it: open/paused/closed and the ticket it has.

    A counter with nobody signed in and no ticket is closed: the display above it
    says so rather than inviting people to an empty desk.
    """
    ticket = current_ticket(counter)
    if not counter.active:
        state = "closed"
    elif counter.paused:
        state = "paused"
    elif ticket is None and counter.clerk_id is None:
        state = "closed"
    else:
        state = "open"
    return {"id": counter.id, "counter": counter.number, "counter_name": counter.name,
            "state": state, "number": ticket.number if ticket else None,
            "service": ticket.service.code if ticket else None,
            "called_at": iso(ticket.called_at) if ticket else None}


def counter_states_by_id(counter_ids):
    """``counter_state`` of each counter in ``counter_ids`` (gone ones left out), by number."""
    found = [by_id(Counter, counter_id) for counter_id in counter_ids]
    return [counter_state(c) for c in sorted(filter(None, found), key=lambda c: c.number)]


def counter_states(office, zone=None):
    """Every counter of the board's zone, by number."""
    counters = Counter.select().where(Counter.office == office).order_by(Counter.number)
    return [counter_state(c) for c in counters if zone_shows(zone, counter_number=c.number)]


def _office_view(office):
    return {"id": office.id, "name": office.name, "timezone": office.timezone,
            "notice": office.notice or ""}


def snapshot(office, zone=None, recent=RECENT):
    """Everything a board shows, sent on every (re)connect and rendered into its page."""
    return {"office": _office_view(office), "zone": zone.name if zone else None,
            "current": current_calls(office, zone), "recent": recent_calls(office, zone, recent),
            "waiting": waiting(office, zone), "counters": counter_states(office, zone),
            "server_time": iso(utcnow())}


def counter_snapshot(counter):
    """Everything a counter display shows."""
    return {"office": _office_view(counter.office), "counter": counter_state(counter),
            "server_time": iso(utcnow())}
