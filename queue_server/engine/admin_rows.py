"""The generic part of the admin's writes: text checks, audited create/update/remove.

Rows that tickets (or their history) refer to are never deleted: removing
them deactivates them (or, for the API's DELETE, is refused), so yesterday's
figures keep their names.
"""
from ..db import db
from ..errors import Conflict, InvalidInput
from . import audit
from .accounts import normalise_text
from .signals import publish_office

def text(value, what, multiline=False):
    """``value`` normalised (NFC, no control characters), or InvalidInput naming ``what``."""
    return normalise_text(value, what, multiline=multiline)


def required(value, what):
    """Like ``text``, and refused when empty."""
    value = text(value, what)
    if not value:
        raise InvalidInput(f"{what} is required.", code="required", params={"field": what})
    return value



_SECRET_FIELDS = ("display_key", "kiosk_key", "password")


def _shown(fields):
    return {k: ("(set)" if k in _SECRET_FIELDS and v else v) for k, v in fields.items()}


def _changes(row, fields):
    """{field: [old, new]} of what an update changes (secrets masked)."""
    out = {}
    for key, value in fields.items():
        old = getattr(row, key + "_id", None) if hasattr(row, key + "_id") else getattr(row, key)
        new = getattr(value, "id", value)
        if old != new:
            out[key] = "(changed)" if key in _SECRET_FIELDS else [old, new]
    return out


def refuse_duplicate(query, row, message, value=None):
    """Conflict when ``query`` finds another row than ``row`` (uniqueness per office);
    ``value`` is what is taken, for the form's sentence."""
    if row is not None:
        query = query.where(type(row).id != row.id)
    if query.exists():
        raise Conflict(message, code="duplicate", params={"value": value})


def create_or_update(model, row, fields, kind, *, also=None, **created):
    """Create a ``model`` row (``row`` None) or update ``row`` with ``fields``, audited.

    ``also(row)``: more writes of the same change, in the same transaction; what it
    returns (a dict) joins the audit entry.
    """
    with db.atomic():
        if row is None:
            row = model.create(**created, **fields)
            details = {**{k: getattr(v, "id", v) for k, v in created.items()},
                       **_shown(fields)}
            action = f"{kind}.create"
        else:
            details = _changes(row, fields)
            for key, value in fields.items():
                setattr(row, key, value)
            row.save()
            action = f"{kind}.update"
        if also is not None:
            details.update(also(row) or {})
        audit.record(action, row, **details)
    _publish(kind, row)
    return row


def _publish(kind, row):
    """Open screens of the office hear of a committed change to its set-up (users:
    no screen shows them)."""
    if kind in ("office", "service", "counter"):
        publish_office(kind, row.id if kind == "office" else row.office_id)


def remove(row, kind, in_use, *, on_deactivate=None, on_delete=None, when_used="deactivate",
           **details):
    """Delete ``row`` when ``in_use()`` is false, else deactivate it; audited.

    Returns "deleted" or "deactivated". The check runs in the same transaction.
    ``when_used="refuse"`` (the API's DELETE): a row in use is not deactivated but
    refused, Conflict ``<kind>_in_use``, and nothing changes.
    """
    with db.atomic():
        if in_use() and when_used == "refuse":
            raise Conflict(f"This {kind} is in use (tickets or their history refer to it): "
                           "deactivate it instead (\"active\": false).", code=f"{kind}_in_use")
        if in_use():
            row.active = False
            row.save(only=[type(row).active])
            if on_deactivate:
                on_deactivate()
            audit.record(f"{kind}.deactivate", row, **details)
            outcome = "deactivated"
        else:
            if on_delete:
                on_delete()
            audit.record(f"{kind}.delete", row, **details)
            row.delete_instance(recursive=False)
            outcome = "deleted"
    _publish(kind, row)
    return outcome
