"""The OpenAPI paths of regions, offices and feedback (issue 19), merged into openapi.PATHS."""
from .openapi import DATE, ID, OPTIONAL_ID, _json, _op, _param

REGION_ID = _param("region_id", "path", ID, True)
OFFICE_ID = _param("office_id", "path", ID, True)
FEEDBACK_ID = _param("feedback_id", "path", ID, True)
NUM = {"type": ["number", "null"]}
# What engine/accounts.normalise_text takes: no control characters (multi-line text
# keeps tab and line breaks) and, where required, something besides spaces.
_CONTROLS = "\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f"
_LINE_CONTROLS = "\\u0000-\\u001f\\u007f-\\u009f"
TEXT = {"type": "string", "maxLength": 2000,
        "pattern": f"^[^{_CONTROLS}]*[^\\s{_LINE_CONTROLS}][^{_CONTROLS}]*$"}
NAME = {"type": "string", "maxLength": 200,
        "pattern": f"^[^{_LINE_CONTROLS}]*[^\\s{_LINE_CONTROLS}][^{_LINE_CONTROLS}]*$"}
CONTACT = {"type": ["string", "null"], "maxLength": 200, "pattern": f"^[^{_LINE_CONTROLS}]*$"}
REGION = {"type": "object", "required": ["id", "name", "parent"],
          "properties": {"id": {"type": "integer"}, "name": {"type": "string"},
                         "parent": {"type": ["integer", "null"]}}}
OFFICE = {"type": "object", "required": ["id", "name", "region"],
          "properties": {"id": {"type": "integer"}, "name": {"type": "string"},
                         "timezone": {"type": "string"},
                         "default_language": {"type": "string"},
                         "public_stats": {"type": "boolean"},
                         "region": {"type": ["integer", "null"]},
                         "feedback_promise_h": {"type": "integer"}}}
OFFICE_BODY = {"type": "object", "properties": {
    "name": NAME, "default_language": {"enum": ["vi", "en"]},
    "public_stats": {"type": "boolean"}, "region": OPTIONAL_ID,
    "feedback_promise_h": {"type": "integer", "minimum": 1, "maximum": 1440},
    **{key: {"type": ["string", "null"], "maxLength": 128,
             "pattern": f"^[^{_LINE_CONTROLS}]*$"} for key in ("display_key", "kiosk_key")}}}
FEEDBACK = {"type": "object", "required": ["id", "office", "state", "text"],
            "properties": {"id": {"type": "integer"}, "office": {"type": "integer"},
                           "state": {"enum": ["new", "handling", "answered", "closed"]},
                           "spam": {"type": "boolean"}, "source": {"type": "string"},
                           "text": {"type": "string"}, "contact": {"type": "string"},
                           "ticket": {"type": ["string", "null"]},
                           "answer": {"type": ["string", "null"]},
                           "created_at": {"type": "string"},
                           "answered_at": {"type": ["string", "null"]},
                           "due_at": {"type": "string"},
                           "in_time": {"type": ["boolean", "null"]}}}
OVERVIEW_ROW = {"type": "object", "required": ["office", "name", "waiting", "longest_wait_s",
                                               "open_counters", "served", "alerts"],
                "properties": {"office": {"type": "integer"}, "name": {"type": "string"},
                               "waiting": {"type": "integer"},
                               "longest_wait_s": {"type": "integer"},
                               "open_counters": {"type": "integer"},
                               "served": {"type": "integer"}, "service_level": NUM,
                               "satisfaction_score": NUM, "rated": {"type": "integer"},
                               "alerts": {"type": "integer"}}}
COMPARISON_ROW = {"type": "object", "properties": {
    "office": {"type": "integer"}, "name": {"type": "string"}, "issued": {"type": "integer"},
    "served": {"type": "integer"}, "wait_avg_s": NUM, "wait_p90_s": NUM, "service_level": NUM,
    "service_avg_s": NUM, "no_show_share": NUM, "satisfaction_score": NUM,
    "rated": {"type": "integer"}, "feedback_received": {"type": "integer"},
    "feedback_answered_in_time": {"type": "integer"}}}

PATHS = {
    "/api/v1/regions": {
        "get": _op("Every region (admin)", {"200": _json({"type": "array", "items": REGION})},
                   errors=()),
        "post": _op("Create a region; one level of nesting", {"201": _json(REGION, "Created")},
                    errors=(400, 404, 409),  # 409: the parent is itself a child
                    body={"type": "object", "required": ["name"], "properties": {
                        "name": NAME, "parent": OPTIONAL_ID}})},
    "/api/v1/regions/{region_id}/overview": {"get": _op(
        "Every office of the region now, those needing attention first",
        {"200": _json({"type": "object", "required": ["region", "offices"], "properties": {
            "region": {"type": "integer"}, "name": {"type": "string"},
            "at": {"type": "string"}, "offices": {"type": "array", "items": OVERVIEW_ROW}}})},
        params=[REGION_ID], errors=(400, 404))},
    "/api/v1/regions/{region_id}/comparison": {"get": _op(
        "The region's offices and services compared over local days from..to",
        {"200": _json({"type": "object", "required": ["offices", "services"], "properties": {
            "region": {"type": ["integer", "null"]}, "from": {"type": "string"},
            "to": {"type": "string"},
            "offices": {"type": "array", "items": COMPARISON_ROW},
            "services": {"type": "array", "items": {"type": "object"}}}})},
        params=[REGION_ID, _param("from", "query", DATE, True),
                _param("to", "query", DATE, True)], errors=(400, 404))},
    "/api/v1/offices": {
        "get": _op("Every office with its region (admin)",
                   {"200": _json({"type": "array", "items": OFFICE})}, errors=()),
        "post": _op("Create an office", {"201": _json(OFFICE, "Created")},
                    errors=(400, 404, 409), body={**OFFICE_BODY, "required": ["name"]})},
    "/api/v1/offices/{office_id}": {"patch": _op(
        "Change an office (its region: null for none)", {"200": _json(OFFICE)},
        params=[OFFICE_ID], errors=(400, 404, 409), body=OFFICE_BODY)},
    "/api/v1/feedback": {
        "post": _op("A citizen's feedback to an office (no login; rate-limited)",
                    {"201": _json({"type": "object", "required": ["id", "state"],
                                   "properties": {"id": {"type": "integer"},
                                                  "state": {"type": "string"}}},
                                  "Received")},
                    secured=False, errors=(400, 404, 429),
                    body={"type": "object", "required": ["office", "text"], "properties": {
                        "office": ID, "text": TEXT, "contact": CONTACT,
                        "token": {"type": ["string", "null"]}}}),
        "get": _op("The office's feedback inbox, newest first",
                   {"200": _json({"type": "array", "items": FEEDBACK})},
                   params=[_param("office", "query", ID),
                           _param("state", "query", {"enum": [
                               "new", "handling", "answered", "closed", "spam"]})],
                   errors=(400, 404))},
    "/api/v1/feedback/{feedback_id}/answer": {"post": _op(
        "Answer a feedback item (it becomes answered)", {"200": _json(FEEDBACK)},
        params=[FEEDBACK_ID], errors=(400, 404, 409),
        body={"type": "object", "required": ["text"], "properties": {"text": TEXT}})},
    "/api/v1/feedback/{feedback_id}/state": {"post": _op(
        "Move a feedback item (handling, closed) or mark it as spam",
        {"200": _json(FEEDBACK)}, params=[FEEDBACK_ID], errors=(400, 404, 409),
        body={"type": "object", "anyOf": [{"required": ["state"]}, {"required": ["spam"]}],
              "properties": {"state": {"enum": ["handling", "closed"]},
                             "spam": {"type": "boolean"}}})},
}
