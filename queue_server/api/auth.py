"""API tokens."""
from flask import current_app, jsonify, request

from .. import security
from ..auth import PUBLIC, access
from ..engine import accounts
from ..errors import InvalidInput
from . import bp, field, json_body


@bp.post("/auth/token")
@access(PUBLIC)
def create_token():
    """Trade a username and password for a bearer token."""
    data = json_body()
    user = security.authenticate(field(data, "username", str), field(data, "password", str))
    token = accounts.issue_token(user, current_app.config["TOKEN_TTL_S"])
    return jsonify({"token": token, "expires_in": current_app.config["TOKEN_TTL_S"],
                    "role": user.role})


@bp.post("/auth/revoke")
@access("clerk")
def revoke_token():
    """Revoke the bearer token this request carries."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        raise InvalidInput("Send the token to revoke as 'Authorization: Bearer <token>'.")
    accounts.revoke_token(header[len("Bearer "):].strip())
    return jsonify({"revoked": True})
