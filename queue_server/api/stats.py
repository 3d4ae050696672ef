"""Statistics over the JSON API (supervisor or above)."""
from datetime import date

from flask import current_app, jsonify, request

from ..auth import access, require_office
from ..engine import offices, staffing, stats
from ..engine.stats import live
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


def office_param():
    """The ``office`` query parameter (optional while there is one office), checked."""
    office = offices.get_office(request.args.get("office"))
    require_office(office.id)
    return office


@bp.get("/stats/report")
@access("supervisor")
def report():
    """Figures grouped by service, counter, clerk, local hour or day (``group``)."""
    office = office_param()
    first, last = date_range()
    return jsonify(stats.report(office, first, last, request.args.get("group", "service")))


@bp.get("/stats/staffing")
@access("supervisor")
def staffing_advice():
    """Counters needed per local hour (Erlang C) from the ``weeks`` before ``to``."""
    office = office_param()
    last = parse_day("to")
    try:
        weeks = int(request.args.get("weeks", 4))
    except ValueError:
        raise InvalidInput("'weeks' must be a whole number.") from None
    if not 1 <= weeks <= 52:
        raise InvalidInput("'weeks' must be between 1 and 52.")
    return jsonify(staffing.advice(office, last, weeks))


@bp.get("/stats/live")
@access("supervisor")
def live_snapshot():
    """The live dashboard's snapshot (queues, counters, today's figures, alerts)."""
    office = office_param()
    return jsonify(live.snapshot(office, alert_length=current_app.config.get(
        "QUEUE_ALERT_QUEUE_LENGTH", live.DEFAULT_ALERT_LENGTH)))
