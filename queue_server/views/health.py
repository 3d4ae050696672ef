"""Liveness: answers once the database does."""
from flask import Blueprint, jsonify

from ..auth import PUBLIC, access
from ..db import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@access(PUBLIC)
def healthz():
    """200 ``{"status": "ok"}`` once the database answers a query."""
    db.execute_sql("SELECT 1")
    return jsonify({"status": "ok"})
