"""The OpenAPI paths of the admin API (issue 16): services, counters, users, opening
hours and closures. Added to ``openapi.PATHS``; the request bodies are the very
schemas the views enforce (api/admin_schema.py)."""
from . import admin_counters, admin_services, admin_users, hours
from .admin_schema import DATE, ID
from .openapi import OFFICE_Q, PATHS, SCHEMAS, _json, _op, _param, _ref

NULLABLE_INT = {"type": ["integer", "null"]}
IDS_OUT = {"type": "array", "items": {"type": "integer"}}
SCHEMAS["AdminService"] = {
    "type": "object",
    "required": ["id", "office", "code", "name", "name_vi", "prefix", "active", "counters",
                 "served", "waiting", "estimated_wait_s"],
    "properties": {"id": {"type": "integer"}, "office": {"type": "integer"},
                   "code": {"type": "string"}, "name": {"type": "string"},
                   "name_vi": {"type": "string"}, "name_en": {"type": "string"},
                   "prefix": {"type": "string"}, "target_wait_min": {"type": "integer"},
                   "daily_cap": NULLABLE_INT, "active": {"type": "boolean"},
                   "counters": {**IDS_OUT, "description": "counters that serve it, by number"},
                   "served": {"type": "boolean",
                              "description": "an active counter serves it (else the kiosk "
                                             "does not offer it and issuing answers 409 "
                                             "service_not_served)"},
                   "waiting": {"type": "integer"}, "estimated_wait_s": NULLABLE_INT}}
SCHEMAS["AdminCounter"] = {"allOf": [_ref("Counter"), {
    "type": "object", "required": ["office", "service_ids"],
    "properties": {"office": {"type": "integer"}, "service_ids": IDS_OUT}}]}
SCHEMAS["User"] = {"type": "object", "required": ["id", "username", "role", "office", "active"],
                   "properties": {"id": {"type": "integer"}, "username": {"type": "string"},
                                  "full_name": {"type": "string"},
                                  "role": {"enum": ["clerk", "supervisor", "admin"]},
                                  "office": NULLABLE_INT, "active": {"type": "boolean"},
                                  "created_at": {"type": ["string", "null"]}}}
_TIME_OUT = {"type": ["string", "null"]}
SCHEMAS["Hours"] = {"type": "object", "required": ["office", "always_open", "days", "last_ticket"],
                    "properties": {"office": {"type": "integer"},
                                   "always_open": {"type": "boolean"},
                                   "days": {"type": "object"},
                                   "last_ticket": {"type": "object", "properties": {
                                       "rule": {"enum": ["", "estimate", "time"]},
                                       "time": _TIME_OUT}},
                                   "next_opening": {"type": ["string", "null"],
                                                    "format": "date-time"}}}
SCHEMAS["Closure"] = {"type": "object", "required": ["id", "day"],
                      "properties": {"id": {"type": "integer"},
                                     "day": {"type": "string", "format": "date"},
                                     "reason_vi": {"type": "string"},
                                     "reason_en": {"type": "string"}}}


def _crud(kind, schema, create, patch, in_use, list_params=()):
    param = _param(f"{kind}_id", "path", ID, True)
    one = _ref(schema)
    return ({"post": _op(f"Create a {kind}", {"201": _json(one, "Created")}, body=create,
                         errors=(400, 404, 409))},
            {"get": _op(f"One {kind}", {"200": _json(one)}, params=[param], errors=(404,)),
             "patch": _op(f"Change a {kind} (the fields sent)", {"200": _json(one)},
                          params=[param], body=patch, body_required=False,
                          errors=(400, 404, 409)),
             "delete": _op(f"Delete a {kind} nothing refers to (else 409 {in_use}: "
                           "deactivate it instead)", {"204": {"description": "Deleted"}},
                           params=[param], errors=(404, 409))})


OFFICE_ID = _param("office_id", "path", ID, True)
_services, PATHS["/api/v1/services/{service_id}"] = _crud(
    "service", "AdminService", admin_services.CREATE, admin_services.PATCH, "service_in_use")
PATHS["/api/v1/services"].update(_services)
PATHS["/api/v1/services"]["get"] = _op(
    "The services the kiosk offers (active and served by a counter); all=true (admins): "
    "every service of the office",
    {"200": _json({"type": "array", "items": _ref("AdminService")})}, secured=False,
    params=[OFFICE_Q, _param("all", "query", {"type": "string", "enum": ["true", "false"]})],
    errors=(400, 401, 403, 404))
_counters, PATHS["/api/v1/counters/{counter_id}"] = _crud(
    "counter", "AdminCounter", admin_counters.CREATE, admin_counters.PATCH, "counter_in_use")
PATHS["/api/v1/counters"] = {"get": _op(
    "The office's counters", {"200": _json({"type": "array", "items": _ref("AdminCounter")})},
    params=[OFFICE_Q], errors=(400, 404)), **_counters}
_users, PATHS["/api/v1/users/{user_id}"] = _crud(
    "user", "User", admin_users.CREATE, admin_users.PATCH, "user_in_use")
PATHS["/api/v1/users"] = {"get": _op(
    "Users (office=: of one office)", {"200": _json({"type": "array", "items": _ref("User")})},
    params=[OFFICE_Q], errors=(400, 404)), **_users}
PATHS["/api/v1/offices/{office_id}/hours"] = {
    "get": _op("Opening hours: the weekly table (a day null: closed; break: the lunch "
               "break), the last-ticket rule, when the office is next open",
               {"200": _json(_ref("Hours"))}, secured=False, params=[OFFICE_ID],
               errors=(404,)),
    "put": _op("Replace the weekly table and the last-ticket rule (409: times out of "
               "order, no open day, the time rule without a time)",
               {"200": _json(_ref("Hours"))}, params=[OFFICE_ID], body=hours.HOURS,
               errors=(400, 404, 409))}
PATHS["/api/v1/offices/{office_id}/closures"] = {
    "get": _op("Dated closures (holidays), by day", {"200": _json(
        {"type": "array", "items": _ref("Closure")})}, secured=False,
        params=[OFFICE_ID, _param("from", "query", DATE)], errors=(400, 404)),
    "post": _op("Close the office on day (through until, 31 days at most; 409 when a day "
                "is already closed)", {"201": _json({"type": "array",
                                                    "items": _ref("Closure")}, "Added")},
                params=[OFFICE_ID], body=hours.CLOSURE, errors=(400, 404, 409)),
    "delete": _op("Open the office again on day", {"204": {"description": "Reopened"}},
                  params=[OFFICE_ID, _param("day", "query", DATE, True)],
                  errors=(400, 404))}
