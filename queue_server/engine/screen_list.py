"""Every screen of an office, for the admin's list of URLs and QR codes.

Kiosks (one per active printer, and the plain one), the waiting-room board and
one per display zone, the display above each active counter, the rating tablet
at each counter, the public statistics page when the office publishes it, the
poster for taking a number from the phone and the booking page.
Each is ``{"kind", "name", "endpoint", "args", "key"}``: the view builds the URL
from the endpoint; ``key`` is the secret the URL carries (None: the office sets
none, and the screen opens without one).
"""
from ..models import Counter, DisplayZone, Printer

KINDS = ("kiosk", "board", "zone", "counter_display", "rating_tablet", "public",
         "join_poster", "booking")


def screens_of(office):
    """The office's screens in ``KINDS`` order, then by name or number."""
    kiosk_key, display_key = office.kiosk_key or None, office.display_key or None
    out = [{"kind": "kiosk", "name": "", "endpoint": "kiosk.start",
            "args": {"office_id": office.id}, "key": kiosk_key}]
    for printer in (Printer.select().where((Printer.office == office) & Printer.active)
                    .order_by(Printer.name)):
        out.append({"kind": "kiosk", "name": printer.name, "endpoint": "kiosk.start",
                    "args": {"office_id": office.id, "printer": printer.id},
                    "key": kiosk_key})
    out.append({"kind": "board", "name": "", "endpoint": "display.board",
                "args": {"office_id": office.id}, "key": display_key})
    for zone in DisplayZone.select().where(DisplayZone.office == office).order_by(
            DisplayZone.name):
        out.append({"kind": "zone", "name": zone.name, "endpoint": "display.board",
                    "args": {"office_id": office.id, "zone": zone.name}, "key": display_key})
    counters = list(Counter.select().where((Counter.office == office) & Counter.active)
                    .order_by(Counter.number))
    for counter in counters:
        out.append({"kind": "counter_display", "name": counter.number,
                    "endpoint": "display.counter", "args": {"counter_id": counter.id},
                    "key": display_key})
    for counter in counters:
        out.append({"kind": "rating_tablet", "name": counter.number, "endpoint": "rating.rate",
                    "args": {"counter_id": counter.id}, "key": display_key})
    if office.public_stats:
        out.append({"kind": "public", "name": "", "endpoint": "public.office_page",
                    "args": {"office_id": office.id}, "key": None})
    # The A4 poster at the entrance (a number from the phone) and the booking page.
    out.append({"kind": "join_poster", "name": "", "endpoint": "join.poster",
                "args": {"office_id": office.id}, "key": None})
    out.append({"kind": "booking", "name": "", "endpoint": "booking.choose",
                "args": {"office_id": office.id}, "key": None})
    return out
