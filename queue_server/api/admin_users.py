"""Admin API: users, their roles, offices and passwords.

``USER_FIELDS`` is the JSON of a user, one entry per field: a feature adds its own
(e.g. ``USER_FIELDS["region"] = lambda user: user.region_id``) and, to write it,
an entry in ``WRITABLE`` with its schema.
An admin cannot demote, deactivate, re-password or delete themselves here
(409 ``cannot_change_self``): the rest of their session would be locked out.
"""
from flask import jsonify, request

from ..auth import access, current
from ..engine import admin as engine
from ..engine import offices
from ..engine.accounts import ROLES
from ..engine.clock import iso
from ..errors import Conflict
from ..models import User
from . import bp, json_body, optional_json_body
from .admin_schema import check, integer, obj, text, whole

USER_FIELDS = {
    "id": lambda u: u.id,
    "username": lambda u: u.username,
    "full_name": lambda u: u.full_name,
    "role": lambda u: u.role,
    "office": lambda u: u.office_id,
    "active": lambda u: u.active,
    "created_at": lambda u: iso(u.created_at),
}
WRITABLE = {"full_name": text(200), "role": {"type": "string", "enum": list(ROLES)},
            "office": integer(1, 2 ** 63 - 1, True), "active": {"type": "boolean"},
            "password": {"type": "string", "minLength": 8, "maxLength": 200}}
CREATE = obj({**WRITABLE, "username": text(64, required=True)},
             required=("username", "role", "password"))
PATCH = obj(WRITABLE)


def user_json(user):
    """A user as the API shows it (never the password hash)."""
    return {name: value(user) for name, value in USER_FIELDS.items()}


def _office(data, current_office):
    if "office" not in data:
        return current_office
    return offices.get_office(whole(data["office"])) if data["office"] is not None else None


@bp.get("/users")
@access("admin")
def list_users():
    """Every user (``office=``: of that office), by username."""
    query = User.select().order_by(User.username)
    if request.args.get("office") is not None:
        query = query.where(User.office == offices.get_office(request.args.get("office")))
    return jsonify([user_json(u) for u in query])


@bp.post("/users")
@access("admin")
def create_user():
    """Create a user with a first password (8 characters or more)."""
    data = check(json_body(), CREATE)
    user = engine.save_user(None, username=data["username"], role=data["role"],
                            office=_office(data, None), full_name=data.get("full_name", ""),
                            active=data.get("active", True), password=data["password"])
    return jsonify(user_json(user)), 201


@bp.get("/users/<int:user_id>")
@access("admin")
def get_user(user_id):
    """One user."""
    return jsonify(user_json(User.find(user_id)))


def _not_self(user, data):
    me = current()
    changes = (data.get("role", user.role) != user.role or data.get("active", True) is False
               or "password" in data)
    if me is not None and me.id == user.id and changes:
        raise Conflict("You cannot change your own role, active flag or password here.",
                       code="cannot_change_self")


@bp.patch("/users/<int:user_id>")
@access("admin")
def patch_user(user_id):
    """Change the fields sent; ``password`` sets a new one and ends the user's sessions."""
    data = check(optional_json_body(), PATCH)
    user = User.find(user_id)
    _not_self(user, data)
    office = _office(data, user.office)
    user = engine.save_user(user, username=user.username, role=data.get("role", user.role),
                            office=office, full_name=data.get("full_name", user.full_name),
                            active=data.get("active", user.active))
    if "password" in data:
        engine.reset_password(user, data["password"])
    return jsonify(user_json(User.find(user_id)))


@bp.delete("/users/<int:user_id>")
@access("admin")
def delete_user(user_id):
    """Delete a user no ticket refers to: 204; in use: 409 ``user_in_use``."""
    user = User.find(user_id)
    if current() is not None and current().id == user.id:
        raise Conflict("You cannot delete yourself.", code="cannot_change_self")
    engine.remove_user(user, when_used="refuse")
    return "", 204
