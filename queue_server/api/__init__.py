"""JSON API v1: thin views that parse, call one engine function and return JSON."""
import json

from flask import Blueprint, g, request

from ..errors import InvalidInput

bp = Blueprint("api", __name__, url_prefix="/api/v1")


#: How deep a request body may nest objects and arrays; ours need 3 at most.
MAX_DEPTH = 16


def json_body():
    """The request's JSON object, or InvalidInput (malformed JSON, wrong content type...).

    The body is checked before anything else reads it: too deep a nesting
    (Python's parser raises RecursionError), text that is not valid Unicode
    (lone surrogates such as "\\ud800", which the parser lets through) and
    NaN/Infinity are 400s, never a server error further on.
    """
    if not request.is_json:
        raise InvalidInput("Send a JSON body with 'Content-Type: application/json'.",
                           code="unsupported_content_type")
    if "api_json_body" not in g:
        g.api_json_body = _parse(request.get_data(cache=True))
    data = g.api_json_body
    if not isinstance(data, dict):
        raise InvalidInput("The body must be a JSON object.", code="malformed_json")
    return data


@bp.before_request
def _check_body():
    # Every JSON body sent to the API is parsed and checked first, whether or
    # not the view reads it: a deep or invalid body is a 400, never a 500 later.
    if request.is_json and request.get_data(cache=True):
        g.api_json_body = _parse(request.get_data(cache=True))


def _parse(raw):
    try:
        data = json.loads(raw, parse_constant=_no_constant)
    except RecursionError:
        raise _too_deep() from None
    except ValueError:  # includes bad UTF-8 and the constants refused below
        raise InvalidInput("The body is not valid JSON.", code="malformed_json") from None
    _check_tree(data)
    return data


def _no_constant(name):
    raise ValueError(f"{name} is not a JSON number")


def _too_deep():
    return InvalidInput(f"The body nests deeper than {MAX_DEPTH} levels.", code="too_deep")


def _check_tree(data):
    """Depth and text validity of a parsed body, without recursion."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (dict, list)):
            if depth > MAX_DEPTH:
                raise _too_deep()
            items = value.items() if isinstance(value, dict) else ((None, v) for v in value)
            for key, item in items:
                if key is not None:
                    _check_text(key)
                stack.append((item, depth + 1))
        elif isinstance(value, str):
            _check_text(value)


def _check_text(text):
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput("The body holds text that is not valid Unicode "
                           "(a lone surrogate).", code="invalid_text") from None


def optional_json_body():
    """Like ``json_body`` but an empty body is an empty object."""
    if not request.get_data(cache=True):
        return {}
    return json_body()


_TYPE_NAMES = {int: "integer", str: "string", bool: "boolean"}


def field(data, name, kind, required=True, default=None):
    """``data[name]`` checked to be of ``kind`` (bool is not an int here)."""
    if name not in data or data[name] is None:
        if required:
            raise InvalidInput(f"'{name}' is required.")
        return default
    value = data[name]
    if isinstance(value, bool) and kind is not bool:
        raise InvalidInput(f"'{name}' must be of type {_TYPE_NAMES.get(kind, kind.__name__)}.")
    if not isinstance(value, kind):
        raise InvalidInput(f"'{name}' must be of type {_TYPE_NAMES.get(kind, kind.__name__)}.")
    return value


def id_field(data, name, required=False):
    """``data[name]`` as a row id: a JSON integer (not 1.5, not true, not "1"), or None.

    ``7.0`` is the integer 7, as JSON Schema (and so the OpenAPI document) counts it.
    """
    value = data.get(name)
    if isinstance(value, float) and value.is_integer():
        data = {**data, name: int(value)}
    value = field(data, name, int, required=required)
    if value is not None and not 1 <= value <= 2 ** 63 - 1:
        raise InvalidInput(f"'{name}' must be a positive integer (a database id).")
    return value


from . import audit, auth, counters, openapi, printing, services, stats, tickets  # noqa: E402,F401,E501
from . import admin_counters, admin_services, admin_users, hours, openapi_admin  # noqa: E402,F401,E501  (issue 16)
from . import supervision  # noqa: E402,F401  (issue 16: alerts, release, moves)
from . import track  # noqa: E402,F401
from . import bookings  # noqa: E402,F401 - appointments and their slots (docs/bookings.md)
from . import feedback, regions  # noqa: E402,F401
