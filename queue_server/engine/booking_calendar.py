"""A booking as an iCalendar file (RFC 5545) for the citizen's phone calendar."""
from datetime import timedelta, timezone

from icalendar import Alarm, Calendar, Event

from .bookings import pretty


def ics_bytes(booking, *, office_name, service_name, url, summary, description):
    """The .ics of one booking: one event at the slot, in UTC, with a reminder an
    hour before. ``summary``/``description`` come translated from the view."""
    calendar = Calendar()
    calendar.add("prodid", "-//queue-server//bookings//VI")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"booking-{booking.code}@queue-server")
    event.add("dtstamp", booking.created_at.replace(tzinfo=timezone.utc))
    event.add("dtstart", booking.start_at.replace(tzinfo=timezone.utc))
    event.add("dtend", booking.end_at.replace(tzinfo=timezone.utc))
    event.add("summary", f"{summary} – {service_name}")
    event.add("location", office_name)
    event.add("description", f"{description} {pretty(booking.code)}\n{url}")
    event.add("url", url)
    event.add("status", "CANCELLED" if booking.status == "cancelled" else "CONFIRMED")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", timedelta(hours=-1))
    event.add_component(alarm)
    calendar.add_component(event)
    return calendar.to_ical()
