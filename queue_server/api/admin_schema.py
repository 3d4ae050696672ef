"""The admin API's request bodies: one JSON Schema each, both documented and enforced.

``check(data, schema)`` holds a body to the same schema the OpenAPI document shows
(the subset written here: type, enum, string length and pattern, integer bounds,
arrays, objects with required and no other properties), so a request the document
allows is never refused as bad input and one it forbids is never accepted
(tests/security/test_schemathesis.py). Rules across fields (a break inside the
opening hours, a unique code) are the engine's: 404 or 409.
"""
import re
from datetime import date

from ..errors import InvalidInput

ID = {"type": "integer", "minimum": 1, "maximum": 2 ** 63 - 1}
IDS = {"type": "array", "items": ID, "maxItems": 200}
#: Text without control characters (the engine refuses them), possibly empty.
_PLAIN = "[^\\x00-\\x1f\\x7f-\\x9f]"


def text(max_length, required=False):
    """A text field; ``required``: with something besides spaces."""
    pattern = f"^{_PLAIN}*$" if not required else f"^\\s*[^\\s\\x00-\\x1f\\x7f-\\x9f]{_PLAIN}*$"
    return {"type": "string", "maxLength": max_length, "pattern": pattern}


def integer(low, high, nullable=False):
    """An integer field from ``low`` to ``high`` (``nullable``: null clears it)."""
    return {"type": ["integer", "null"] if nullable else "integer", "minimum": low,
            "maximum": high}


HHMM = {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"}
DATE = {"type": "string", "format": "date",
        "pattern": "^(19[0-9]{2}|2[0-9]{3})-[0-9]{2}-[0-9]{2}$"}
CODE = {"type": "string", "pattern": "^[A-Za-z0-9]{1,16}$"}


def obj(properties, required=()):
    """An object with these properties only."""
    out = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        out["required"] = list(required)
    return out


def _types(value):
    if value is None:
        return {"null"}
    if isinstance(value, bool):
        return {"boolean"}
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return {"integer", "number"}
    if isinstance(value, float):
        return {"number"}
    if isinstance(value, str):
        return {"string"}
    if isinstance(value, list):
        return {"array"}
    return {"object"} if isinstance(value, dict) else set()


def _fail(path, why):
    raise InvalidInput(f"'{path}' {why}.", code="invalid_input")


def check(value, schema, path="body"):
    """Raise InvalidInput unless ``value`` matches ``schema`` (the subset above)."""
    kinds = schema.get("type")
    if kinds is not None:
        wanted = {kinds} if isinstance(kinds, str) else set(kinds)
        if not wanted & _types(value):
            _fail(path, f"must be of type {' or '.join(sorted(wanted))}")
    if "enum" in schema and value not in schema["enum"]:
        _fail(path, "must be one of " + ", ".join(map(repr, schema["enum"])))
    if isinstance(value, str):
        if len(value) > schema.get("maxLength", len(value)):
            _fail(path, f"is longer than {schema['maxLength']} characters")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            _fail(path, "is not written as expected")
        if schema.get("format") == "date":
            try:
                date.fromisoformat(value)
            except ValueError:
                _fail(path, "is not a date written YYYY-MM-DD")
    elif "integer" in _types(value) and not isinstance(value, bool):
        if value < schema.get("minimum", value) or value > schema.get("maximum", value):
            _fail(path, f"must be from {schema.get('minimum')} to {schema.get('maximum')}")
    elif isinstance(value, list):
        if len(value) > schema.get("maxItems", len(value)):
            _fail(path, f"has more than {schema['maxItems']} items")
        for i, item in enumerate(value):
            check(item, schema.get("items", {}), f"{path}[{i}]")
    elif isinstance(value, dict):
        for name in schema.get("required", ()):
            if name not in value:
                _fail(f"{path}.{name}", "is required")
        properties = schema.get("properties", {})
        for name, item in value.items():
            if name in properties:
                check(item, properties[name], f"{path}.{name}")
            elif schema.get("additionalProperties", True) is False:
                _fail(f"{path}.{name}", "is not a field of this object")
    return value


def whole(value):
    """7.0 (a JSON integer written with a point) as 7; anything else unchanged."""
    return int(value) if isinstance(value, float) and value.is_integer() else value
