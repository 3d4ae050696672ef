"""OpenAPI paths of the clerk's and the supervisor's working day (issue 16): the
waiting list, calling a chosen ticket, corrections, alerts, exports."""
from .openapi import (COUNTER_ID, DATE, ID, OFFICE_Q, TICKET_ID, _json, _op, _param, _ref,
                      _transition)

_TIME = {"type": "string", "format": "date-time"}
_NULL_TIME = {"type": ["string", "null"], "format": "date-time"}
_RANGE = [OFFICE_Q, _param("from", "query", DATE, True), _param("to", "query", DATE, True)]
WAITING = {"type": "object",
           "required": ["id", "number", "service", "priority", "issued_at", "waited_s",
                        "source"],
           "properties": {"id": {"type": "integer"}, "number": {"type": "string"},
                          "service": {"type": "string"}, "priority": {"type": "boolean"},
                          "issued_at": _TIME, "waited_s": {"type": "integer", "minimum": 0},
                          "source": {"type": "string"}, "note": {"type": "string"}}}
ALERT = {"type": "object", "required": ["kind", "message", "since"],
         "properties": {"kind": {"enum": ["wait_over_target", "queue_length",
                                          "called_not_started", "counter_closed_with_ticket",
                                          "unserved_waiting", "printer_problem"]},
                        "message": {"type": "string"}, "since": _NULL_TIME,
                        "service": {"type": "string"}, "counter": {"type": "integer"},
                        "ticket": {"type": "integer"}, "number": {"type": "string"},
                        "value": {"type": "integer"}, "limit": {"type": "integer"}}}
EVENT = {"type": "object", "required": ["kind", "at", "to_status"],
         "properties": {"kind": {"type": "string"}, "at": _TIME,
                        "from_status": {"type": ["string", "null"]},
                        "to_status": {"type": "string"},
                        "counter": {"type": ["integer", "null"]},
                        "by": {"type": ["string", "null"]}, "detail": {"type": "string"}}}
TICKET_ROW = {"type": "object", "required": ["id", "number", "service", "status", "events"],
              "properties": {"id": {"type": "integer"}, "number": {"type": "string"},
                             "service": {"type": ["string", "null"]},
                             "status": {"type": "string"}, "issued_at": _TIME,
                             "called_at": _NULL_TIME, "started_at": _NULL_TIME,
                             "finished_at": _NULL_TIME,
                             "counter": {"type": ["integer", "null"]},
                             "called_by": {"type": ["string", "null"]},
                             "events": {"type": "array", "items": EVENT}}}
COMMENT = {"type": "object", "required": ["ticket", "number", "score", "comment", "at",
                                          "counter"],
           "properties": {"ticket": {"type": "integer"}, "number": {"type": "string"},
                          "service": {"type": "string"},
                          "score": {"type": "integer", "minimum": 1, "maximum": 4},
                          "comment": {"type": "string"}, "at": _TIME,
                          "counter": {"type": "integer"}, "counter_name": {"type": "string"},
                          "clerk": {"type": ["string", "null"]},
                          "clerk_name": {"type": ["string", "null"]}}}
_CHOSEN = {"type": "object", "required": ["ticket"], "properties": {"ticket": ID}}
_CALLED = {"type": "object", "required": ["ticket"], "properties": {"ticket": _ref("Ticket")}}

PATHS = {
    "/api/v1/counters/{counter_id}/waiting": {"get": _op(
        "The tickets this counter would call, in the order it would call them",
        {"200": _json({"type": "array", "items": WAITING})}, params=[COUNTER_ID],
        errors=(404,))},
    "/api/v1/counters/{counter_id}/call": {"post": _op(
        "Call this waiting ticket here (409: not waiting, or not served here)",
        {"200": _json(_CALLED)}, params=[COUNTER_ID], errors=(400, 404, 409, 503),
        body=_CHOSEN)},
    "/api/v1/counters/{counter_id}/finish-and-call-next": {"post": _op(
        "Finish the counter's ticket, then call the next (called: null when nobody waits)",
        {"200": _json({"type": "object", "required": ["finished", "called"], "properties": {
            "finished": _ref("Ticket"),
            "called": {"oneOf": [_ref("Ticket"), {"type": "null"}]}}})},
        params=[COUNTER_ID], errors=(400, 404, 409, 503), body=_CHOSEN)},
    "/api/v1/counters/{counter_id}/services": {"post": _op(
        "Open or close the counter for a service (supervisor)",
        {"200": _json(_ref("Counter"))}, params=[COUNTER_ID], errors=(400, 404, 409),
        body={"type": "object", "required": ["service", "serves"],
              "properties": {"service": {"type": "string"}, "serves": {"type": "boolean"}}})},
    "/api/v1/tickets/{ticket_id}/undo-no-show": _transition(
        "Put a no-show back in line (within a few minutes; its first wait stands)"),
    "/api/v1/tickets/{ticket_id}/note": {"post": _op(
        "Write the clerk's note on the ticket", {"200": _json(_ref("Ticket"))},
        params=[TICKET_ID], errors=(400, 404, 409),
        body={"type": "object", "required": ["text"],
              "properties": {"text": {"type": "string", "maxLength": 500,
                                     "pattern": "^[^\\x00]*$"}}})},
    "/api/v1/tickets/{ticket_id}/release": _transition(
        "A called ticket back to its line (supervisor; its wait is measured again)"),
    "/api/v1/services/move-waiting": {"post": _op(
        "Move today's waiting tickets of one service to another (supervisor)",
        {"200": _json({"type": "object", "required": ["moved"],
                       "properties": {"moved": {"type": "integer"}}})},
        errors=(400, 404, 409),
        body={"type": "object", "required": ["from", "to"], "properties": {
            "office": {**ID, "type": ["integer", "null"]}, "from": {"type": "string"},
            "to": {"type": "string"},
            "tickets": {"type": ["array", "null"], "items": ID, "maxItems": 1000}}})},
    "/api/v1/alerts": {"get": _op(
        "What needs a supervisor now", {"200": _json({"type": "array", "items": ALERT})},
        params=[OFFICE_Q], errors=(400, 404))},
    "/api/v1/stats/tickets": {"get": _op(
        "Every ticket of the range with its events (json, csv or xlsx)",
        {"200": {"description": "The tickets", "content": {
            "application/json": {"schema": {"type": "object", "required": ["tickets"],
                                            "properties": {"tickets": {
                                                "type": "array", "items": TICKET_ROW}}}},
            "text/csv": {"schema": {"type": "string"}},
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                "schema": {"type": "string", "format": "binary"}}}}},
        params=_RANGE + [_param("format", "query", {"enum": ["json", "csv", "xlsx"]})],
        errors=(400, 404))},
    "/api/v1/stats/comments": {"get": _op(
        "Rating comments of the range, newest first",
        {"200": _json({"type": "array", "items": COMMENT})},
        params=_RANGE + [_param("score", "query", {"type": "integer", "minimum": 1,
                                                   "maximum": 4}),
                         _param("counter", "query", {"type": "integer", "minimum": 1,
                                                     "maximum": 10 ** 6}),
                         _param("clerk", "query", {"type": "string", "maxLength": 64})],
        errors=(400, 404))},
}
