"""Health: 200 ``ok`` or ``degraded`` (with the reasons) while the database takes
writes; 503 ``storage_unavailable`` when it does not."""
from flask import Blueprint, current_app, jsonify
from peewee import DatabaseError, InterfaceError

from .. import loop_monitor
from ..auth import PUBLIC, access
from ..db import check_writable
from ..dispatch import dispatcher
from ..errors import StorageUnavailable
from ..errors_http import error_response
from ..extensions import socketio

bp = Blueprint("health", __name__)


def problems():
    """What is wrong but not fatal: the message queue, the rate limits' storage."""
    found = []
    manager = socketio.server.manager
    if hasattr(manager, "problem") and (reason := manager.problem()):
        found.append(reason)
    limiter = current_app.extensions.get("queue_limiter")
    if limiter is not None and getattr(limiter, "_storage_dead", False):
        found.append("rate-limit storage unreachable: limits are kept in this process's memory")
    if dispatcher.dropped:
        found.append(f"{dispatcher.dropped} screen updates dropped (event queue full)")
    return found


@bp.get("/healthz")
@access(PUBLIC)
def healthz():
    """200 ``{"status": "ok"|"degraded", "problems": [...]}``; 503 when nothing can be saved."""
    try:
        check_writable()  # a harmless committed write, and room on the disk (db.py)
    except (StorageUnavailable, DatabaseError, InterfaceError) as exc:
        current_app.logger.error("health: the database takes no writes: %s", exc)
        return error_response(503, "storage_unavailable",
                              "The database cannot be written: tickets cannot be issued.")
    found = problems()
    body = {"status": "degraded" if found else "ok", "problems": found,
            "mode": socketio.async_mode, "events_pending": dispatcher.pending()}
    if loop_monitor.state["running"]:
        body["loop"] = {k: round(v, 1) if isinstance(v, float) else v
                        for k, v in loop_monitor.state.items() if k != "running"}
    return jsonify(body)
