"""The OpenAPI 3 document of API v1, served at /api/v1/openapi.json.

Kept true by a test: every route of the app under /api/v1 (and /healthz) is
here, and every path here is a route.
"""
from flask import jsonify

from ..auth import PUBLIC, access
from . import bp

JSON = "application/json"


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema, description="OK"):
    return {"description": description, "content": {JSON: {"schema": schema}}}


CODES = (400, 401, 403, 404, 409, 413, 414, 429, 503)
ERRORS = {str(code): {"$ref": f"#/components/responses/E{code}"} for code in CODES}
#: Any request may meet these before a view runs: a body over 64 KB, a URL longer than
#: the server reads (gunicorn: 4094 bytes of request line).
EVERYWHERE = (413, 414)


def _op(summary, responses, *, secured=True, body=None, params=(), errors=(400,),
        body_required=True):
    op = {"summary": summary, "responses": dict(responses)}
    for code in tuple(errors) + EVERYWHERE:
        op["responses"][str(code)] = ERRORS[str(code)]
    if secured:
        op["security"] = [{"bearer": []}]
        op["responses"].update({"401": ERRORS["401"], "403": ERRORS["403"]})
    if body:
        op["requestBody"] = {"required": body_required, "content": {JSON: {"schema": body}}}
    if params:
        op["parameters"] = list(params)
    return op


def _param(name, where, schema, required=False):
    return {"name": name, "in": where, "required": required, "schema": schema}


ID = {"type": "integer", "minimum": 1, "maximum": 2 ** 63 - 1}  # a database id
OPTIONAL_ID = {**ID, "type": ["integer", "null"]}  # null: as if left out
TICKET_ID = _param("ticket_id", "path", ID, True)
COUNTER_ID = _param("counter_id", "path", ID, True)
OFFICE_Q = _param("office", "query", ID)
NULLABLE_NUM = {"type": ["number", "null"]}
#: Years 1900 to 2999 (api/stats.py): a range or the staffing weeks stay in the calendar.
DATE = {"type": "string", "format": "date",
        "pattern": "^(19[0-9]{2}|2[0-9]{3})-[0-9]{2}-[0-9]{2}$"}
FIGURES = {
    "type": "object",
    "required": ["issued", "served", "no_show", "wait_avg_s", "wait_p50_s", "wait_p90_s",
                 "service_avg_s", "service_p50_s", "service_p90_s"],
    "properties": {"issued": {"type": "integer"}, "served": {"type": "integer"},
                   "no_show": {"type": "integer"},
                   **{k: NULLABLE_NUM for k in ("wait_avg_s", "wait_p50_s", "wait_p90_s",
                                                "service_avg_s", "service_p50_s",
                                                "service_p90_s")}},
}
SCHEMAS = {
    "Error": {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["code", "message"],
        "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}},
    "Ticket": {"type": "object",
               "required": ["id", "number", "service", "status", "issued_at", "ahead",
                            "estimated_wait_s", "track_url"],
               "properties": {
                   "id": {"type": "integer"}, "number": {"type": "string"},
                   "service": {"type": "string"},
                   "status": {"type": "string", "enum": [
                       "waiting", "called", "serving", "done", "no_show", "cancelled",
                       "transferred", "expired"]},
                   "priority": {"type": "boolean"},
                   "issued_at": {"type": "string", "format": "date-time"},
                   "called_at": {"type": ["string", "null"], "format": "date-time"},
                   "ahead": {"type": "integer", "minimum": 0},
                   "estimated_wait_s": {"type": "integer", "minimum": 0},
                   "track_url": {"type": "string"}, "counter": {"type": "integer"},
                   "recall_count": {"type": "integer"},
                   "printed": {"oneOf": [{"type": "boolean"}, {"const": "pending"}]},
                   "note": {"type": "string"},
               }},
    "Service": {"type": "object",
                "required": ["code", "name", "prefix", "waiting", "estimated_wait_s"],
                "properties": {"code": {"type": "string"}, "name": {"type": "string"},
                               "name_en": {"type": "string"}, "prefix": {"type": "string"},
                               "waiting": {"type": "integer"},
                               "estimated_wait_s": {"type": "integer"}}},
    "Counter": {"type": "object", "required": ["id", "number", "paused"],
                "properties": {"id": {"type": "integer"}, "number": {"type": "integer"},
                               "name": {"type": "string"}, "active": {"type": "boolean"},
                               "paused": {"type": "boolean"},
                               "clerk": {"type": ["string", "null"],
                                         "description": "who is signed in here"},
                               "services": {"type": "array", "items": {"type": "string"}}}},
    "Figures": FIGURES,
}


def _transition(summary):
    return {"post": _op(summary, {"200": _json(_ref("Ticket"))}, params=[TICKET_ID],
                        errors=(404, 409))}


PATHS = {
    "/healthz": {"get": _op("Health: ok, or degraded with the reasons; 503 when the "
                            "database takes no writes",
                            {"200": _json({"type": "object", "required": ["status", "problems"],
                                           "properties": {
                                               "status": {"enum": ["ok", "degraded"]},
                                               "problems": {"type": "array",
                                                            "items": {"type": "string"}}}})},
                            secured=False, errors=(503,))},
    "/api/v1/openapi.json": {"get": _op("This document", {"200": _json({"type": "object"})},
                                        secured=False, errors=())},
    "/api/v1/auth/token": {"post": _op(
        "Trade credentials for a bearer token",
        {"200": _json({"type": "object", "required": ["token"],
                       "properties": {"token": {"type": "string"},
                                      "expires_in": {"type": "integer"},
                                      "role": {"type": "string"}}}),
         "401": ERRORS["401"]},
        secured=False, errors=(400, 429),
        body={"type": "object", "required": ["username", "password"],
              "properties": {"username": {"type": "string"}, "password": {"type": "string"}}})},
    "/api/v1/auth/revoke": {"post": _op("Revoke the token sent", {"200": _json({
        "type": "object", "properties": {"revoked": {"type": "boolean"}}})})},
    "/api/v1/services": {"get": _op("Active services for the kiosk",
                                    {"200": _json({"type": "array", "items": _ref("Service")})},
                                    secured=False, params=[OFFICE_Q], errors=(400, 404))},
    "/api/v1/tickets": {"post": _op(
        "Issue a ticket", {"201": _json(_ref("Ticket"), "Issued")}, secured=False,
        errors=(400, 403, 404, 409, 429, 503),  # 403: printing without the kiosk key
        body={"type": "object", "required": ["service"],
              "properties": {"service": {"type": "string"}, "office": OPTIONAL_ID,
                             "print": {"type": ["boolean", "null"]}, "printer": OPTIONAL_ID,
                             "priority": {"oneOf": [{"type": ["boolean", "null"]}, {
                                 "type": "string",
                                 "enum": ["elderly", "disabled", "pregnant", "children"]}]}}})},
    "/api/v1/track/{token}/cancel": {"post": _op(
        "The ticket's holder withdraws it (a waiting ticket only; 409 not_cancellable "
        "once called or ended), by the token of its tracking link",
        {"200": _json(_ref("Ticket"), "Cancelled")}, secured=False,
        params=[_param("token", "path", {"type": "string", "minLength": 1, "maxLength": 64},
                       True)], errors=(400, 404, 409), body_required=False)},
    "/api/v1/tickets/{ticket_id}": {"get": _op("One ticket", {"200": _json(_ref("Ticket"))},
                                               params=[TICKET_ID], errors=(404,))},
    "/api/v1/tickets/{ticket_id}/recall": _transition("Call the ticket again"),
    "/api/v1/tickets/{ticket_id}/start": _transition("Start serving"),
    "/api/v1/tickets/{ticket_id}/finish": _transition("Finish serving"),
    "/api/v1/tickets/{ticket_id}/no-show": _transition("Mark as no-show"),
    "/api/v1/tickets/{ticket_id}/cancel": _transition("Cancel a waiting ticket"),
    "/api/v1/tickets/{ticket_id}/transfer": {"post": _op(
        "Transfer to another service (answers with the new waiting ticket)",
        {"200": _json(_ref("Ticket"))}, params=[TICKET_ID], errors=(400, 404, 409),
        body={"type": "object", "required": ["service"],
              "properties": {"service": {"type": "string"}}})},
    "/api/v1/tickets/{ticket_id}/reprint": {"post": _op(
        "Print the ticket again", {"202": _json(_ref("Ticket"), "Queued for printing")},
        params=[TICKET_ID], errors=(400, 404), body_required=False,
        body={"type": "object", "properties": {"printer": OPTIONAL_ID}})},
    "/api/v1/printers": {"get": _op(
        "The office's printers and their state",
        {"200": _json({"type": "array", "items": {
            "type": "object", "required": ["id", "name", "url", "online", "paper"],
            "properties": {"id": {"type": ["integer", "null"]}, "name": {"type": "string"},
                           "url": {"type": "string"},
                           "online": {"type": ["boolean", "null"]},
                           "paper": {"enum": ["ok", "low", "out", "unknown"]},
                           "error": {"type": ["string", "null"]},
                           "pending": {"type": "integer"}, "failed": {"type": "integer"}}}})},
        params=[OFFICE_Q], errors=(400, 404))},
    "/api/v1/print-jobs/failed": {"get": _op(
        "Print jobs that failed after every retry",
        {"200": _json({"type": "array", "items": {"type": "object", "properties": {
            "id": {"type": "integer"}, "ticket_id": {"type": "integer"},
            "number": {"type": "string"}, "url": {"type": "string"},
            "attempts": {"type": "integer"}, "error": {"type": "string"},
            "at": {"type": "string"}}}})},
        params=[OFFICE_Q], errors=(400, 404))},
    "/api/v1/counters/{counter_id}/call-next": {"post": _op(
        "Call the next ticket to this counter",
        {"200": _json({"type": "object", "required": ["ticket"],
                       "properties": {"ticket": _ref("Ticket")}}),
         "204": {"description": "Nobody waits"}},
        params=[COUNTER_ID], errors=(404, 409, 503))},
    "/api/v1/counters/{counter_id}/pause": {"post": _op(
        "Pause the counter", {"200": _json(_ref("Counter"))}, params=[COUNTER_ID],
        errors=(404, 409))},
    "/api/v1/counters/{counter_id}/resume": {"post": _op(
        "Resume the counter", {"200": _json(_ref("Counter"))}, params=[COUNTER_ID],
        errors=(404, 409))},
    "/api/v1/counters/{counter_id}/sign-out": {"post": _op(
        "End the sign-in at this counter (its clerk; a supervisor or admin, audited); a "
        "ticket still there is settled first as 'ticket' says, else 409",
        {"200": _json(_ref("Counter"))}, params=[COUNTER_ID], errors=(400, 404, 409),
        body_required=False, body={"type": "object", "properties": {
            "ticket": {"enum": ["finish", "no_show", "release", None]}}})},
    "/api/v1/stats/summary": {"get": _op(
        "Waiting and service figures for a range of local days",
        {"200": _json({"type": "object", "required": ["overall", "services"],
                       "properties": {"overall": _ref("Figures"), "services": {
                           "type": "array", "items": {"allOf": [_ref("Figures"), {
                               "type": "object", "required": ["service"],
                               "properties": {"service": {"type": "string"}}}]}}}})},
        params=[OFFICE_Q, _param("from", "query", DATE, True),
                _param("to", "query", DATE, True)],
        errors=(400, 404))},
    # Statistics (engine/stats, docs/statistics.md)
    "/api/v1/stats/report": {"get": _op(
        "Figures grouped by service, counter, clerk, local hour, day or source",
        {"200": _json({"type": "object", "required": ["group", "rows", "overall"],
                       "properties": {
                           "office": {"type": "integer"}, "from": {"type": "string"},
                           "to": {"type": "string"}, "group": {"type": "string"},
                           "overall": _ref("Figures"),
                           "rows": {"type": "array", "items": {"allOf": [_ref("Figures"), {
                               "type": "object", "required": ["key", "label"],
                               "properties": {"key": {"type": ["string", "integer"]},
                                              "label": {"type": "string"}}}]}}}})},
        params=[OFFICE_Q, _param("from", "query", DATE, True),
                _param("to", "query", DATE, True),
                _param("group", "query", {"type": "string", "enum": [
                    "service", "counter", "clerk", "hour", "day", "source"]})],
        errors=(400, 404))},
    "/api/v1/stats/staffing": {"get": _op(
        "Counters needed per local hour for the p90 wait to meet the target (Erlang C)",
        {"200": _json({"type": "object", "required": ["hours", "target_wait_s"],
                       "properties": {"from": {"type": "string"}, "to": {"type": "string"},
                                      "days": {"type": "integer"},
                                      "target_wait_s": {"type": ["integer", "null"]},
                                      "hours": {"type": "array", "items": {
                                          "type": "object",
                                          "required": ["hour", "counters"],
                                          "properties": {
                                              "hour": {"type": "integer"},
                                              "arrivals_per_hour": {"type": "number"},
                                              "service_avg_s": {"type": "number"},
                                              "counters": {"type": "integer"},
                                              "p90_wait_s": NULLABLE_NUM}}}}})},
        params=[OFFICE_Q, _param("to", "query", DATE, True),
                _param("weeks", "query", {"type": "integer", "minimum": 1, "maximum": 52})],
        errors=(400, 404))},
    "/api/v1/stats/live": {"get": _op(
        "The supervisor dashboard's live snapshot",
        {"200": _json({"type": "object", "required": ["services", "counters", "today",
                                                      "alerts"],
                       "properties": {"services": {"type": "array"},
                                      "counters": {"type": "array"},
                                      "today": {"type": "object"},
                                      "alerts": {"type": "array"}}})},
        params=[OFFICE_Q], errors=(400, 404))},
}

from .openapi_workday import PATHS as _WORKDAY  # noqa: E402 - uses the helpers above

PATHS.update(_WORKDAY)
# Phones and bookings (docs/bookings.md)
HHMM = {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$",
        "description": "office-local time"}
SCHEMAS["Slot"] = {
    "type": "object", "required": ["start", "end", "free"],
    "properties": {"start": HHMM, "end": HHMM, "free": {"type": "integer", "minimum": 0},
                   "capacity": {"type": "integer"}, "booked": {"type": "integer"},
                   "blocked": {"type": "boolean"},
                   "start_at": {"type": "string", "format": "date-time"}}}
SCHEMAS["Booking"] = {
    "type": "object", "required": ["code", "service", "day", "start", "end", "status"],
    "properties": {
        "code": {"type": "string"}, "service": {"type": "integer"},
        "service_code": {"type": "string"}, "office": {"type": "integer"},
        "day": {"type": "string", "format": "date"}, "start": HHMM, "end": HHMM,
        "start_at": {"type": "string", "format": "date-time"},
        "end_at": {"type": "string", "format": "date-time"},
        "status": {"enum": ["booked", "checked_in", "cancelled", "no_show"]},
        "blocked": {"type": "boolean"}, "blocked_reason": {"type": "string"},
        "check_in_opens": {"type": "string", "format": "date-time"},
        "check_in_closes": {"type": "string", "format": "date-time"},
        "url": {"type": "string"}, "ics_url": {"type": "string"},
        "ticket": {"type": ["string", "null"], "description": "the number once checked in"},
        "name": {"type": "string"}, "phone": {"type": "string"}}}
SCHEMAS["Ticket"]["properties"]["source"] = {
    "type": "string", "description": "kiosk, phone, booked, api (statistics count them apart)"}
PATHS["/api/v1/tickets"]["post"]["requestBody"]["content"][JSON]["schema"]["properties"][
    "source"] = {"type": ["string", "null"], "enum": ["kiosk", "phone", None],
                 "description": "phone: taken from /join (403 when the office takes no "
                                "numbers from phones, or only on its network)"}
SERVICE_ID = _param("service_id", "path", ID, True)
CODE = _param("code", "path", {"type": "string", "minLength": 1, "maxLength": 64}, True)
NAME = {"type": ["string", "null"], "maxLength": 100}
PHONE = {"type": ["string", "null"], "maxLength": 20, "pattern": "^[0-9+ ().-]*$"}
PATHS.update({
    "/api/v1/services/{service_id}/slots": {"get": _op(
        "The service's booking slots on a local day (empty when it takes no bookings then)",
        {"200": _json({"type": "array", "items": _ref("Slot")})}, secured=False,
        params=[SERVICE_ID, _param("day", "query", DATE, True)], errors=(400, 404, 429))},
    "/api/v1/bookings": {
        "post": _op("Book a slot (409 slot_full, slot_blocked, slot_closed, slot_unavailable)",
                    {"201": _json(_ref("Booking"), "Booked")}, secured=False,
                    errors=(400, 404, 409, 429, 503),
                    body={"type": "object", "required": ["service", "day", "start"],
                          "properties": {"service": ID, "day": DATE, "start": HHMM,
                                         "name": NAME, "phone": PHONE}}),
        "get": _op("The office's bookings on a day, per service and slot (staff)",
                   {"200": _json({"type": "array", "items": {
                       "type": "object", "required": ["service", "slots"],
                       "properties": {"service": {"type": "integer"},
                                      "service_code": {"type": "string"},
                                      "slots": {"type": "array", "items": {"allOf": [
                                          _ref("Slot"), {"type": "object", "properties": {
                                              "bookings": {"type": "array",
                                                           "items": _ref("Booking")}}}]}}}}})},
                   params=[OFFICE_Q, _param("day", "query", DATE, True)], errors=(400, 404))},
    "/api/v1/bookings/{code}": {
        "get": _op("A booking, by its code", {"200": _json(_ref("Booking"))}, secured=False,
                   params=[CODE], errors=(404, 429)),
        "delete": _op("Cancel a booking, by its code (409 not_cancellable)",
                      {"200": _json(_ref("Booking"))}, secured=False, params=[CODE],
                      errors=(404, 409, 429, 503))},
    "/api/v1/bookings/{code}/check-in": {"post": _op(
        "Check a booking in on its day: the waiting ticket (409 outside_check_in_window, "
        "already_checked_in, booking_cancelled; 403 not_on_site)",
        {"201": _json(_ref("Ticket"), "Checked in")}, secured=False, params=[CODE],
        errors=(400, 403, 404, 409, 429, 503))},
    "/api/v1/services/{service_id}/blocked-slots": {"post": _op(
        "Block (or, with blocked false, open again) one slot of the service",
        {"200": _json(_ref("Slot"))}, params=[SERVICE_ID], errors=(400, 404, 409),
        body={"type": "object", "required": ["day", "start"],
              "properties": {"day": DATE, "start": HHMM,
                             "blocked": {"type": ["boolean", "null"]},
                             "reason": {"type": ["string", "null"], "maxLength": 200}}})},
})
from .openapi_regions import PATHS as REGION_PATHS  # noqa: E402

PATHS.update(REGION_PATHS)

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {"title": "Queue server API", "version": "1.0.0",
             "description": "Tickets, counters and statistics of a public-service office."},
    "paths": PATHS,
    "components": {
        "schemas": SCHEMAS,
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "responses": {**{f"E{code}": _json(_ref("Error"), "Error") for code in CODES},
                      # gunicorn answers an over-long URL itself, before the app runs
                      "E414": {"description": "URI too long", "content": {
                          JSON: {"schema": _ref("Error")},
                          "text/html": {"schema": {"type": "string"}}}}},
    },
}


@bp.get("/openapi.json")
@access(PUBLIC)
def openapi_document():
    """The OpenAPI document."""
    return jsonify(DOCUMENT)
