"""Regions, their offices' overview and comparison, and the admin's offices (API v1)."""
from flask import current_app, jsonify

from ..auth import access, current
from ..engine import admin, comparison, offices, regions
from ..errors import InvalidInput
from ..models import Office
from . import bp, field, id_field, json_body
from .stats import date_range


@bp.get("/regions/<int:region_id>/overview")
@access("regional")
def region_overview(region_id):
    """Every office of the region now: waiting, longest wait, counters, today's figures."""
    region, shown = regions.scope(current(), region_id)
    return jsonify(regions.overview(region, offices=shown,
                                    **regions.alert_limits(current_app.config)))


@bp.get("/regions/<int:region_id>/comparison")
@access("regional")
def region_comparison(region_id):
    """Per office and per service over local days ``from``..``to``."""
    region, shown = regions.scope(current(), region_id)
    first, last = date_range()
    return jsonify(comparison.comparison(shown, first, last, region))


def region_json(region):
    return {"id": region.id, "name": region.name, "parent": region.parent_id}


@bp.get("/regions")
@access("admin")
def list_regions():
    """Every region, parents before their children."""
    return jsonify([region_json(r) for r in regions.all_regions()])


@bp.post("/regions")
@access("admin")
def create_region():
    """A new region ``{"name", "parent"?}``."""
    data = json_body()
    parent = id_field(data, "parent")
    region = regions.save_region(name=field(data, "name", str),
                                 parent=regions.get_region(parent) if parent else None)
    return jsonify(region_json(region)), 201


def office_json(office):
    return {"id": office.id, "name": office.name, "timezone": office.timezone,
            "default_language": office.default_language, "public_stats": office.public_stats,
            "region": office.region_id, "feedback_promise_h": office.feedback_promise_h}


@bp.get("/offices")
@access("admin")
def list_offices():
    """Every office, with its region."""
    return jsonify([office_json(o) for o in Office.select().order_by(Office.id)])


FIELDS = (("name", str), ("default_language", str), ("public_stats", bool))
#: the boards' and kiosks' keys (docs/security.md)
KEYS = ("display_key", "kiosk_key")


def whole_number(data, name):
    """An optional JSON integer (7.0 counts, as JSON Schema says; true does not)."""
    value = data.get(name)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return field({name: value}, name, int, required=False)


def _save(office, data):
    values = {name: getattr(office, name) for name, _ in FIELDS + (("timezone", str),)} \
        if office else {"timezone": "Asia/Ho_Chi_Minh", "default_language": "vi",
                        "public_stats": False}
    for name, kind in FIELDS:
        if name in data and data[name] is not None:
            values[name] = field(data, name, kind)
    if office is None and "name" not in values:
        raise InvalidInput("'name' is required.")
    if len(values["name"]) > 200:
        raise InvalidInput("'name' is at most 200 characters.")
    promise = whole_number(data, "feedback_promise_h")
    if promise is not None and not 1 <= promise <= 24 * 60:
        raise InvalidInput("'feedback_promise_h' must be 1 to 1440 hours.")
    region = id_field(data, "region")
    region = regions.get_region(region) if region else None
    keep = {k: getattr(office, k) for k in ("opening_hours", "notice", "display_key",
                                            "kiosk_key", "printer_url")} if office else {}
    for name in KEYS:  # null or "" removes the key
        if name in data:
            keep[name] = field(data, name, str, required=False) or None
            if keep[name] and len(keep[name]) > 128:
                raise InvalidInput(f"'{name}' is at most 128 characters.")
    return admin.save_office(office, **values, **keep, feedback_promise_h=promise,
                             region=region if "region" in data else admin.KEEP)


@bp.post("/offices")
@access("admin")
def create_office():
    """A new office ``{"name", "default_language"?, "public_stats"?, "region"?,
    "feedback_promise_h"?}`` (timezone Asia/Ho_Chi_Minh; the admin's form changes it)."""
    return jsonify(office_json(_save(None, json_body()))), 201


@bp.patch("/offices/<int:office_id>")
@access("admin")
def update_office(office_id):
    """Change an office; ``"region": null`` takes it out of its region."""
    return jsonify(office_json(_save(offices.get_office(office_id), json_body())))
