"""Opening hours: when an office issues tickets."""
import json

from ..errors import InvalidInput
from .clock import local

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_hours(text):
    """Parse and validate opening hours JSON; '' means always open. Returns a dict."""
    if not text or not text.strip():
        return {}
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise InvalidInput(f"Opening hours are not valid JSON: {exc}") from None
    if not isinstance(data, dict) or set(data) - set(DAYS):
        raise InvalidInput("Opening hours must map mon..sun to lists of [\"HH:MM\", \"HH:MM\"].")
    for day, spans in data.items():
        if not isinstance(spans, list):
            raise InvalidInput(f"Opening hours for {day} must be a list.")
        for span in spans:
            if (not isinstance(span, list) or len(span) != 2
                    or not all(_is_hhmm(v) for v in span) or span[0] >= span[1]):
                raise InvalidInput(f"Opening hours for {day}: {span!r} is not [\"HH:MM\", \"HH:MM\"].")
    return data


def is_open(office, at_utc):
    """True when the office issues tickets at ``at_utc``."""
    hours = parse_hours(office.opening_hours)
    if not hours:
        return True
    moment = local(office, at_utc)
    hhmm = moment.strftime("%H:%M")
    return any(start <= hhmm < end for start, end in hours.get(DAYS[moment.weekday()], []))


def _is_hhmm(value):
    if not isinstance(value, str) or len(value) != 5 or value[2] != ":":
        return False
    hh, mm = value[:2], value[3:]
    return hh.isdigit() and mm.isdigit() and int(hh) < 24 and int(mm) < 60
