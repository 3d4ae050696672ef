"""Services as the kiosk sees them."""
from flask import jsonify, request

from ..auth import PUBLIC, access
from ..engine import offices
from . import bp


@bp.get("/services")
@access(PUBLIC)
def list_services():
    """Active services with people waiting and the estimated wait for a new ticket."""
    office = offices.get_office(request.args.get("office"))
    return jsonify([{"code": row["service"].code, "name": row["service"].name_vi,
                     "name_en": row["service"].name_en, "prefix": row["service"].prefix,
                     "waiting": row["waiting"], "estimated_wait_s": row["estimated_wait_s"]}
                    for row in offices.service_board(office)])
