"""JSON API v1: thin views that parse, call one engine function and return JSON."""
from flask import Blueprint, request

from ..errors import InvalidInput

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def json_body():
    """The request's JSON object, or InvalidInput (malformed JSON, wrong content type...)."""
    if not request.is_json:
        raise InvalidInput("Send a JSON body with 'Content-Type: application/json'.",
                           code="unsupported_content_type")
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise InvalidInput("The body must be a JSON object.", code="malformed_json")
    return data


def optional_json_body():
    """Like ``json_body`` but an empty body is an empty object."""
    if not request.get_data(cache=True):
        return {}
    return json_body()


def field(data, name, kind, required=True, default=None):
    """``data[name]`` checked to be of ``kind`` (bool is not an int here)."""
    if name not in data or data[name] is None:
        if required:
            raise InvalidInput(f"'{name}' is required.")
        return default
    value = data[name]
    if isinstance(value, bool) and kind is not bool:
        raise InvalidInput(f"'{name}' must be of type {kind.__name__}.")
    if not isinstance(value, kind):
        raise InvalidInput(f"'{name}' must be of type {kind.__name__}.")
    return value


from . import audit, auth, counters, openapi, printing, services, stats, tickets  # noqa: E402,F401,E501
