"""Admin API: an office's counters and the services each serves, in order.

A counter's ``services`` are codes and ``service_ids`` ids, both in the order the
counter calls them; a write sends either.
"""
from flask import jsonify, request

from ..auth import access
from ..engine import admin as engine
from ..engine import counters, offices
from ..errors import NotFound
from ..models import Counter, Service
from . import bp, json_body, optional_json_body
from .admin_body import rows_of
from .admin_schema import CODE, IDS, check, integer, obj, text, whole
from .counters import counter_json

COUNTER_FIELDS = {"number": integer(1, 999), "name": text(100), "active": {"type": "boolean"},
                  "service_ids": IDS,
                  "services": {"type": "array", "items": CODE, "maxItems": 200}}
CREATE = obj({**COUNTER_FIELDS, "office": integer(1, 2 ** 63 - 1, True)}, required=("number",))
PATCH = obj(COUNTER_FIELDS)


def admin_counter_json(counter):
    """``counter_json`` with the office and the services' ids."""
    return {**counter_json(counter), "office": counter.office_id,
            "service_ids": [s.id for s in counters.services_of(counter)]}


def _services(office, data, current):
    if data.get("service_ids") is not None:
        return rows_of(Service, office, list(dict.fromkeys(whole(i) for i in
                                                           data["service_ids"])), "service")
    if data.get("services") is None:
        return current
    codes = list(dict.fromkeys(c.upper() for c in data["services"]))
    found = {s.code: s for s in Service.select().where(
        (Service.office == office) & Service.code.in_(codes))} if codes else {}
    for code in codes:
        if code not in found:
            raise NotFound(f"Office {office.id} has no service {code}.", code="unknown_service")
    return [found[c] for c in codes]


def _save(office, counter, data):
    current = {} if counter is None else {"number": counter.number, "name": counter.name,
                                          "active": counter.active}
    values = {"name": "", "active": True, **current,
              **{k: whole(data[k]) for k in ("number", "name", "active") if k in data}}
    services = _services(office, data, None if counter is None
                         else counters.services_of(counter)) or []
    return engine.save_counter(office, counter, services=services, **values)


@bp.get("/counters")
@access("admin")
def list_counters():
    """The office's counters, active or not, by number."""
    office = offices.get_office(request.args.get("office"))
    return jsonify([admin_counter_json(c) for c in
                    Counter.select().where(Counter.office == office).order_by(Counter.number)])


@bp.post("/counters")
@access("admin")
def create_counter():
    """Create a counter with the services it serves, in order."""
    data = check(json_body(), CREATE)
    office = offices.get_office(whole(data.get("office")))
    return jsonify(admin_counter_json(_save(office, None, data))), 201


@bp.get("/counters/<int:counter_id>")
@access("admin")
def get_counter(counter_id):
    """One counter."""
    return jsonify(admin_counter_json(counters.get_counter(counter_id)))


@bp.patch("/counters/<int:counter_id>")
@access("admin")
def patch_counter(counter_id):
    """Change the fields sent; ``services`` or ``service_ids`` replace its services."""
    data = check(optional_json_body(), PATCH)
    counter = counters.get_counter(counter_id)
    return jsonify(admin_counter_json(_save(counter.office, counter, data)))


@bp.delete("/counters/<int:counter_id>")
@access("admin")
def delete_counter(counter_id):
    """Delete a counter no ticket refers to: 204; in use: 409 ``counter_in_use``."""
    engine.remove_counter(counters.get_counter(counter_id), when_used="refuse")
    return "", 204
