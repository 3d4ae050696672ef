"""Opening hours over the API: the weekly table with its breaks, the last-ticket rule,
and dated closures. Reading is public (a kiosk or a phone app shows them); writing
is for admins, through ``engine.hours_admin`` as the admin page does.
"""
from flask import jsonify, request

from ..auth import PUBLIC, access
from ..engine import hours_admin, offices
from ..engine.clock import iso
from ..engine.hours import DAYS, next_opening
from ..errors import NotFound
from ..models import Closure, utcnow
from . import bp, json_body
from .admin_schema import DATE, HHMM, check, obj, text

BREAK = {**obj({"start": HHMM, "end": HHMM}, required=("start", "end")),
         "type": ["object", "null"]}
DAY = {**obj({"open": HHMM, "close": HHMM, "break": BREAK}, required=("open", "close")),
       "type": ["object", "null"]}
HOURS = obj({"always_open": {"type": "boolean"},
             "days": obj({day: DAY for day in DAYS}),
             "last_ticket": obj({"rule": {"type": "string", "enum": ["", "estimate", "time"]},
                                 "time": {**HHMM, "type": ["string", "null"]}})})
CLOSURE = obj({"day": DATE, "until": {**DATE, "type": ["string", "null"]},
               "reason_vi": text(200), "reason_en": text(200)}, required=("day",))


def _hours_json(office):
    return {"office": office.id, **hours_admin.hours_of(office),
            "next_opening": iso(next_opening(office, utcnow()))}


@bp.get("/offices/<int:office_id>/hours")
@access(PUBLIC)
def get_hours(office_id):
    """The weekly table (a day null: closed), the last-ticket rule, and when the office
    is next open (now, while it is)."""
    return jsonify(_hours_json(offices.get_office(office_id)))


@bp.put("/offices/<int:office_id>/hours")
@access("admin")
def put_hours(office_id):
    """Replace the weekly table and the last-ticket rule (days left out are closed)."""
    office = offices.get_office(office_id)
    data = check(json_body(), HOURS)
    hours_admin.save_hours(office, always_open=data.get("always_open", False),
                           days=data.get("days") or {}, last_ticket=data.get("last_ticket"))
    return jsonify(_hours_json(office))


@bp.get("/offices/<int:office_id>/closures")
@access(PUBLIC)
def list_closures(office_id):
    """The office's closures from ``from`` (a date; default: all) on, by day."""
    office = offices.get_office(office_id)
    since = request.args.get("from")
    since = hours_admin.parse_day(since, "from") if since is not None else None
    return jsonify([hours_admin.closure_json(c) for c in hours_admin.closures(office, since)])


@bp.post("/offices/<int:office_id>/closures")
@access("admin")
def add_closures(office_id):
    """Close the office on ``day`` (through ``until``, at most 31 days): 201 with the
    closures added; 409 ``closure_exists`` when one of the days is already closed."""
    office = offices.get_office(office_id)
    data = check(json_body(), CLOSURE)
    first = hours_admin.parse_day(data["day"])
    last = hours_admin.parse_day(data["until"], "until") if data.get("until") else None
    rows = hours_admin.add_closures(office, first, last, reason_vi=data.get("reason_vi", ""),
                                    reason_en=data.get("reason_en", ""))
    return jsonify([hours_admin.closure_json(c) for c in rows]), 201


@bp.delete("/offices/<int:office_id>/closures")
@access("admin")
def delete_closure(office_id):
    """Open the office again on ``day`` (a query parameter): 204; 404 when it was not
    closed that day."""
    office = offices.get_office(office_id)
    day = hours_admin.parse_day(request.args.get("day"), "day")
    closure = Closure.get_or_none((Closure.office == office) & (Closure.day == day))
    if closure is None:
        raise NotFound(f"Office {office.id} is not closed on {day.isoformat()}.")
    hours_admin.remove_closure(office, closure.id)
    return "", 204
