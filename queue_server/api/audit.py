"""The audit log over the API (admins only): who changed what and when."""
from flask import jsonify, request

from ..auth import access
from ..engine import audit
from ..errors import InvalidInput
from . import bp
from .openapi import PATHS, _json, _op, _param


def _int_arg(name, default=None, low=1, high=None):
    value = request.args.get(name)
    if value is None:
        return default
    if not value.isdigit() or int(value) < low or (high is not None and int(value) > high):
        raise InvalidInput(f"'{name}' must be an integer from {low}"
                           + (f" to {high}." if high else " up."))
    return int(value)


@bp.get("/audit")
@access("admin")
def audit_log():
    """The newest audit entries first; ``before`` (an id) pages back, ``action`` filters."""
    return jsonify(audit.entries(limit=_int_arg("limit", 100, 1, 500),
                                 before_id=_int_arg("before", high=2 ** 63 - 1),
                                 action=request.args.get("action") or None))


ENTRY = {"type": "object", "required": ["id", "at", "user", "action", "target", "details"],
         "properties": {"id": {"type": "integer"}, "at": {"type": "string"},
                        "user": {"type": ["string", "null"]}, "action": {"type": "string"},
                        "target": {"type": "string"}, "details": {"type": "object"}}}
PATHS["/api/v1/audit"] = {"get": _op(
    "Audit log: admin changes and supervisor overrides, newest first",
    {"200": _json({"type": "array", "items": ENTRY})},
    params=[_param("limit", "query", {"type": "integer", "minimum": 1, "maximum": 500}),
            _param("before", "query", {"type": "integer", "minimum": 1,
                                       "maximum": 2 ** 63 - 1}),
            _param("action", "query", {"type": "string"})],
    errors=(400,))}
