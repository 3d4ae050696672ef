"""Reading the admin API's bodies: a PATCH is the row's current values plus the body's."""
from ..errors import InvalidInput, NotFound
from . import field, id_field

MAX_ITEMS = 200


def text_field(data, name, current=None, required=False):
    """A string field (``current`` when left out)."""
    value = field(data, name, str, required=required and current is None, default=current)
    return value if value is not None else ""


def int_field(data, name, current=None, nullable=False):
    """An integer field; ``null`` clears it when ``nullable``."""
    if nullable and name in data and data[name] is None:
        return None
    if isinstance(data.get(name), float) and data[name].is_integer():
        data = {**data, name: int(data[name])}
    value = field(data, name, int, required=False, default=current)
    if value is not None and not -2 ** 31 < value < 2 ** 31:
        raise InvalidInput(f"'{name}' is out of range.")
    return value


def bool_field(data, name, current=True):
    """A boolean field."""
    return field(data, name, bool, required=False, default=current)


def id_list(data, name, current=None):
    """A list of row ids (``current`` when left out); duplicates keep their first place."""
    if name not in data or data[name] is None:
        return current
    value = data[name]
    if not isinstance(value, list) or len(value) > MAX_ITEMS:
        raise InvalidInput(f"'{name}' must be a list of ids (at most {MAX_ITEMS}).")
    ids = [id_field({"id": item}, "id", required=True) for item in value]
    return list(dict.fromkeys(ids))


def code_list(data, name, current=None):
    """A list of service codes (``current`` when left out)."""
    if name not in data or data[name] is None:
        return current
    value = data[name]
    if (not isinstance(value, list) or len(value) > MAX_ITEMS
            or not all(isinstance(v, str) for v in value)):
        raise InvalidInput(f"'{name}' must be a list of service codes.")
    return list(dict.fromkeys(v.strip().upper() for v in value))


def rows_of(model, office, ids, what):
    """The ``model`` rows of ``office`` with ``ids``, in that order; an id that is not
    the office's is NotFound ``unknown_<what>`` (the document cannot know the ids)."""
    found = {r.id: r for r in model.select().where((model.office == office)
                                                    & model.id.in_(ids))} if ids else {}
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFound(f"Office {office.id} has no {what} {missing[0]}.",
                       code=f"unknown_{what}")
    return [found[i] for i in ids]
