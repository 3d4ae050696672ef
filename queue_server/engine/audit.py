"""The audit log: who changed what and when (admin changes, supervisor overrides).

The acting user is set once per request by the access check (``acting``), so
engine functions record without every caller passing the user along. A write
made outside a request (the CLI, a script) is recorded with no user.
"""
import json
from contextvars import ContextVar

from ..models import AuditLog, utcnow

_actor = ContextVar("audit_actor", default=None)


def acting(user):
    """Make ``user`` (a User row or None) the actor of what follows in this context."""
    return _actor.set(user)


def actor():
    """The user the current request acts as, or None."""
    return _actor.get()


def target_of(row):
    """``"office:3"``: a short, stable name of a changed row."""
    if row is None:
        return ""
    return f"{type(row).__name__.lower()}:{row.id}"


def record(action, target="", **details):
    """Append an audit entry in the caller's transaction; ``target`` a row or a string."""
    user = _actor.get()
    if not isinstance(target, str):
        target = target_of(target)
    return AuditLog.create(at=utcnow(), user=user.id if user is not None else None,
                           username=user.username if user is not None else "",
                           action=action, target=target[:128],
                           details=json.dumps(details, ensure_ascii=False, default=str,
                                              sort_keys=True))


def entries(limit=100, before_id=None, action=None):
    """The newest entries first (``before_id`` pages back), as plain dicts."""
    query = AuditLog.select().order_by(AuditLog.id.desc()).limit(max(1, min(limit, 500)))
    if before_id is not None:
        query = query.where(AuditLog.id < before_id)
    if action and "\x00" in action:
        return []  # no action holds NUL (and PostgreSQL refuses it in a query)
    if action:
        query = query.where(AuditLog.action.startswith(action))
    return [{"id": row.id, "at": row.at.isoformat(timespec="seconds") + "Z",
             "user": row.username or None, "action": row.action, "target": row.target,
             "details": json.loads(row.details or "{}")} for row in query]


def record_override(action, target, counter=None):
    """Record a supervisor's (or admin's) action at a counter that is not their own.

    A clerk acting at their counter is ordinary work (the ticket events hold
    it); a supervisor reaching into someone's counter or ticket is an override.
    """
    user = _actor.get()
    if user is None or user.role == "clerk":
        return None
    if counter is not None and counter.clerk_id == user.id:
        return None
    return record("override." + action, target,
                  counter=counter.number if counter is not None else None)
