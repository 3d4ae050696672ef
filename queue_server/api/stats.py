"""Statistics over the JSON API (supervisor or above)."""
import re
from datetime import date

from flask import Response, current_app, jsonify, request

from ..auth import access, require_office
from ..engine import alerts, offices, staffing, stats
from ..engine.stats import comments as rating_comments
from ..engine.stats import live, ticket_log
from ..errors import InvalidInput
from . import bp


#: Dates the API takes (the OpenAPI document says the same): far enough either way
#: that a range, or the staffing advice's weeks before a day, never leaves the calendar.
FIRST_YEAR, LAST_YEAR = 1900, 2999
DATE_PATTERN = re.compile(r"^(19[0-9]{2}|2[0-9]{3})-[0-9]{2}-[0-9]{2}$")


def parse_day(name):
    """A required ``YYYY-MM-DD`` query parameter, years 1900 to 2999."""
    value = request.args.get(name)
    if not value:
        raise InvalidInput(f"'{name}' is required (YYYY-MM-DD).")
    try:
        day = date.fromisoformat(value) if DATE_PATTERN.match(value) else None
    except ValueError:
        day = None
    if day is None:
        raise InvalidInput(f"'{name}' must be a date as YYYY-MM-DD, years "
                           f"{FIRST_YEAR} to {LAST_YEAR}.")
    return day


def date_range():
    """The ``from``/``to`` query parameters. ``from`` after ``to`` is an empty range
    (figures of no day); the cost follows the tickets in range, not its length."""
    return parse_day("from"), parse_day("to")


@bp.get("/stats/summary")
@access("regional")
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
@access("regional")
def report():
    """Figures grouped by service, counter, clerk, local hour or day (``group``)."""
    office = office_param()
    first, last = date_range()
    return jsonify(stats.report(office, first, last, request.args.get("group", "service")))


@bp.get("/stats/staffing")
@access("regional")
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
@access("regional")
def live_snapshot():
    """The live dashboard's snapshot (queues, counters, today's figures, alerts)."""
    office = office_param()
    settings = alerts.settings(current_app.config)
    return jsonify(live.snapshot(office, alert_length=settings["queue_length"],
                                 called_after_s=settings["called_after_s"]))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/stats/tickets")
@access("supervisor")
def ticket_export():
    """Every ticket of the range with its events, as JSON (default), CSV or XLSX."""
    office = office_param()
    first, last = date_range()
    kind = request.args.get("format", "json")
    if kind not in ("json", "csv", "xlsx"):
        raise InvalidInput("'format' must be json, csv or xlsx.")
    rows = ticket_log.tickets(office, first, last)
    if kind == "json":
        return jsonify({"office": office.id, "from": first.isoformat(),
                        "to": last.isoformat(), "tickets": rows})
    name = f"tickets-{first.isoformat()}-{last.isoformat()}.{kind}"
    body = (ticket_log.csv_bytes(office, rows, {}) if kind == "csv"
            else ticket_log.xlsx_bytes(office, rows, {}))
    return Response(body, mimetype="text/csv" if kind == "csv" else XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/stats/comments")
@access("supervisor")
def comment_list():
    """Rating comments of the range, newest first (``score``, ``counter``, ``clerk``)."""
    office = office_param()
    first, last = date_range()
    for name in ("score", "counter"):  # the page's form sends "" for "all"; the API does not
        if request.args.get(name) == "":
            raise InvalidInput(f"'{name}' must be a whole number.")
    return jsonify(rating_comments.comments(
        office, first, last, score=request.args.get("score"),
        counter=request.args.get("counter"), clerk=request.args.get("clerk")))
