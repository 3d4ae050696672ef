"""Who is asking: session users (Flask-Login) and bearer tokens, and the role check."""
from functools import wraps

from flask import request
from flask_login import UserMixin, current_user

from . import login_manager
from .engine import accounts
from .errors import Forbidden, Unauthorized
from .models import User

#: The anonymous roles: the public kiosk and phone, boards and rating tablets.
PUBLIC = "public"


class SessionUser(UserMixin):
    """Flask-Login's view of a User row."""

    def __init__(self, user):
        self.user = user
        self.id = str(user.id)

    def __getattr__(self, name):
        return getattr(self.user, name)


@login_manager.user_loader
def _load_user(user_id):
    user = User.get_or_none((User.id == int(user_id)) & User.active)
    return SessionUser(user) if user else None


@login_manager.request_loader
def _load_from_bearer(req):
    header = req.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    user = accounts.user_for_token(header[len("Bearer "):].strip())
    return SessionUser(user) if user else None


def current():
    """The signed-in User row, or None."""
    return current_user.user if current_user.is_authenticated else None


def access(role):
    """Mark a view with who may use it and enforce it.

    ``role`` is ``PUBLIC`` or one of ``accounts.ROLES``; the mark (``view.access``)
    lets the access table be read off the app's URL map.
    """
    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if role != PUBLIC:
                user = current()
                if user is None:
                    if request.headers.get("Authorization"):
                        raise Unauthorized("The token is invalid, expired or revoked.",
                                           code="bad_token")
                    raise Unauthorized("Sign in or send 'Authorization: Bearer <token>'.")
                if not accounts.role_at_least(user, role):
                    raise Forbidden(f"This needs the {role} role or above.")
            return view(*args, **kwargs)

        wrapper.access = role
        return wrapper
    return decorate


def require_office(office_id):
    """Staff act only in their own office; an admin without an office acts anywhere."""
    user = current()
    if user is not None and user.office_id is not None and user.office_id != office_id:
        raise Forbidden("This belongs to another office.")


def init_app(app):
    """Attach Flask-Login."""
    login_manager.init_app(app)
