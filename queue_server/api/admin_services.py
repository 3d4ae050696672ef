"""Admin API: an office's services and the counters that serve them.

``GET /api/v1/services`` (public, in api/services.py) lists what the kiosk
offers; with ``all=true`` an admin gets every service of the office. Writes go
through ``engine.admin``, as the admin screens' do.
"""
from flask import jsonify

from ..auth import access
from ..engine import admin as engine
from ..engine import offices
from ..engine.availability import is_served
from ..engine.counters import counters_of
from ..models import Counter, Service
from . import bp, json_body, optional_json_body
from .admin_body import rows_of
from .admin_schema import IDS, check, integer, obj, text, whole

SERVICE_FIELDS = {"code": {"type": "string", "pattern": "^[A-Za-z0-9]{1,16}$"},
                  "name_vi": text(200, required=True), "name_en": text(200),
                  "prefix": {"type": "string", "pattern": "^[A-Za-z0-9]$"},
                  "target_wait_min": integer(1, 600), "daily_cap": integer(1, 9999, True),
                  "active": {"type": "boolean"}, "counters": IDS}
CREATE = obj({**SERVICE_FIELDS, "office": {**integer(1, 2 ** 63 - 1, True)}},
             required=("code", "name_vi", "prefix"))
PATCH = obj(SERVICE_FIELDS)


def service_json(service, waiting=None, estimated_wait_s=None):
    """A service with what the admin sets and whether a counter serves it."""
    return {"id": service.id, "office": service.office_id, "code": service.code,
            "name": service.name_vi, "name_vi": service.name_vi, "name_en": service.name_en,
            "prefix": service.prefix, "target_wait_min": service.target_wait_min,
            "daily_cap": service.daily_cap, "active": service.active,
            "counters": [c.id for c in counters_of(service)], "served": is_served(service),
            "waiting": waiting or 0, "estimated_wait_s": estimated_wait_s}


def _save(office, service, data):
    current = {} if service is None else {
        "code": service.code, "name_vi": service.name_vi, "name_en": service.name_en,
        "prefix": service.prefix, "target_wait_min": service.target_wait_min,
        "daily_cap": service.daily_cap, "active": service.active}
    values = {**{"name_en": "", "target_wait_min": 15, "daily_cap": None, "active": True},
              **current, **{k: whole(v) for k, v in data.items() if k in SERVICE_FIELDS}}
    if "daily_cap" in data and data["daily_cap"] is None:
        values["daily_cap"] = None
    ids = values.pop("counters", None)
    counters = rows_of(Counter, office, ids, "counter") if ids is not None else None
    return engine.save_service(office, service, counters=counters, **values)


@bp.post("/services")
@access("admin")
def create_service():
    """Create a service (``counters``: the ids of the counters that serve it)."""
    data = check(json_body(), CREATE)
    office = offices.get_office(whole(data.get("office")))
    return jsonify(service_json(_save(office, None, data))), 201


@bp.get("/services/<int:service_id>")
@access("admin")
def get_service(service_id):
    """One service, active or not."""
    return jsonify(service_json(Service.find(service_id)))


@bp.patch("/services/<int:service_id>")
@access("admin")
def patch_service(service_id):
    """Change the fields sent; ``counters`` replaces the counters that serve it."""
    data = check(optional_json_body(), PATCH)
    service = Service.find(service_id)
    return jsonify(service_json(_save(service.office, service, data)))


@bp.delete("/services/<int:service_id>")
@access("admin")
def delete_service(service_id):
    """Delete a service no ticket refers to: 204; in use: 409 ``service_in_use``."""
    engine.remove_service(Service.find(service_id), when_used="refuse")
    return "", 204
