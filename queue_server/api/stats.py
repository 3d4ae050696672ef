"""Statistics over the JSON API (supervisor or above)."""
from datetime import date

from flask import jsonify, request

from ..auth import access, require_office
from ..engine import offices, stats
from ..errors import InvalidInput
from . import bp


def parse_day(name):
    """A required ``YYYY-MM-DD`` query parameter."""
    value = request.args.get(name)
    if not value:
        raise InvalidInput(f"'{name}' is required (YYYY-MM-DD).")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"'{name}' must be a date as YYYY-MM-DD.") from None


def date_range():
    """The ``from``/``to`` query parameters, checked to be in order."""
    first, last = parse_day("from"), parse_day("to")
    if first > last:
        raise InvalidInput("'from' must not be after 'to'.")
    if (last - first).days > 366 * 5:
        raise InvalidInput("The range may span at most five years.")
    return first, last


@bp.get("/stats/summary")
@access("supervisor")
def summary():
    """Overall and per-service figures for a range of local days."""
    office = offices.get_office(request.args.get("office"))
    require_office(office.id)
    first, last = date_range()
    return jsonify(stats.summary(office, first, last))
