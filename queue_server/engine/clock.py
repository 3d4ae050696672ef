"""Time in the office's own timezone: business days and local clocks."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from ..models import utcnow


def zone(office):
    """The office's ``ZoneInfo``."""
    return ZoneInfo(office.timezone)


def local(office, at_utc):
    """A stored naive-UTC datetime as an aware local datetime of the office."""
    return at_utc.replace(tzinfo=timezone.utc).astimezone(zone(office))


def business_day(office, at_utc=None):
    """The office's local date at ``at_utc`` (default now): numbering restarts each day."""
    return local(office, at_utc or utcnow()).date()


def day_bounds_utc(office, first_day, last_day):
    """Naive-UTC [start, end) covering local days first_day..last_day inclusive."""
    from datetime import timedelta

    tz = zone(office)
    start = datetime.combine(first_day, datetime.min.time(), tz)
    end = datetime.combine(last_day + timedelta(days=1), datetime.min.time(), tz)
    return (start.astimezone(timezone.utc).replace(tzinfo=None),
            end.astimezone(timezone.utc).replace(tzinfo=None))


def stored(value):
    """A datetime read past peewee's fields (aggregates, prepared rows): SQLite gives
    ISO text where PostgreSQL gives datetimes."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def iso(at_utc):
    """ISO 8601 with an explicit UTC offset, or None."""
    if at_utc is None:
        return None
    return at_utc.replace(tzinfo=timezone.utc).isoformat()
