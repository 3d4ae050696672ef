"""Services as the kiosk sees them (and, with ``all=true``, as an admin does)."""
from flask import jsonify, request

from ..auth import PUBLIC, access, current
from ..engine import accounts, offices
from ..errors import Forbidden, InvalidInput, Unauthorized
from ..models import Service
from . import bp
from .admin_services import service_json


@bp.get("/services")
@access(PUBLIC)
def list_services():
    """The services the kiosk offers (active, and served by an active counter) with
    people waiting and the estimated wait for a new ticket. ``all=true`` (admins):
    every service of the office, inactive and unserved ones too."""
    office = offices.get_office(request.args.get("office"))
    every = request.args.get("all", "false")
    if every not in ("true", "false"):
        raise InvalidInput("'all' is true or false.")
    if every == "true":
        if current() is None:
            raise Unauthorized("Sign in or send 'Authorization: Bearer <token>'.")
        if not accounts.role_at_least(current(), "admin"):
            raise Forbidden("This needs the admin role or above.")
        board = {row["service"].id: row for row in offices.service_board(office, unserved=True)}
        rows = Service.select().where(Service.office == office).order_by(Service.code)
        return jsonify([service_json(s, board.get(s.id, {}).get("waiting"),
                                     board.get(s.id, {}).get("estimated_wait_s"))
                        for s in rows])
    return jsonify([service_json(row["service"], row["waiting"], row["estimated_wait_s"])
                    for row in offices.service_board(office)])
