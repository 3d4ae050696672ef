"""Health: 200 ``ok`` or ``degraded`` (with the reasons) while the database takes
writes; 503 ``storage_unavailable`` when it does not."""
import os
import socket

from flask import Blueprint, current_app, jsonify
from peewee import DatabaseError, InterfaceError

from .. import loop_monitor
from ..auth import PUBLIC, access
from ..db import db
from ..dispatch import dispatcher
from ..errors_http import error_response
from ..extensions import socketio
from ..models import HealthCheck, utcnow

bp = Blueprint("health", __name__)
PROCESS = f"{socket.gethostname()}:{os.getpid()}"[:64]


def _write_check():
    """Rewrite this process's row: proves the database takes a write right now."""
    with db.atomic():
        HealthCheck.insert(process=PROCESS, at=utcnow()).on_conflict(
            conflict_target=[HealthCheck.process], update={HealthCheck.at: utcnow()}).execute()


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
        _write_check()
    except (DatabaseError, InterfaceError) as exc:
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
