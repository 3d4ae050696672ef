"""Who is asking: session users (Flask-Login) and bearer tokens, and the role check."""
from flask import request
from flask_login import UserMixin, current_user

from .extensions import login_manager
from .engine import accounts
from .errors import Forbidden

#: The anonymous roles: the public kiosk and phone, boards and rating tablets.
PUBLIC = "public"


class SessionUser(UserMixin):
    """Flask-Login's view of a User row.

    Its id, kept in the session cookie, is "<user id>:<session version>"
    (Flask-Login's alternative tokens): bumping the version on sign-out,
    password reset or deactivation makes every earlier cookie load nobody.
    """

    def __init__(self, user):
        self.user = user
        self.id = f"{user.id}:{user.session_version}"

    def __getattr__(self, name):
        return getattr(self.user, name)


@login_manager.user_loader
def _load_user(user_id):
    if request.headers.get("Authorization", "").startswith("Bearer "):
        return None  # a request naming a token acts as that token's user, not the session's
    found, _, version = str(user_id).partition(":")
    if not (found.isdigit() and version.isdigit()):
        return None  # a cookie from before session versions: sign in again
    user = accounts.session_matches(int(found), int(version))
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
    """Mark a view with who may use it (``PUBLIC`` or one of ``accounts.ROLES``).

    The check itself happens in one place, ``queue_server.access.check_request``,
    against the access table there; this mark must agree with it (checked when
    the app is built), so a reader of the view sees who may call it.
    """
    def decorate(view):
        view.access = role
        return view
    return decorate


def require_office(office_id):
    """Staff act only in their own office; an admin acts in every office.

    A clerk or supervisor without an office acts nowhere (a half-made account
    must not see every office). A regional user reads the offices of their region
    (the access table lets them reach only read-only endpoints).
    """
    user = current()
    if user is None or user.role == "admin":
        return
    if user.role == "regional":  # read-only rules only let them this far (access.py)
        from .engine import offices, regions
        if not regions.may_see_office(user, offices.get_office(office_id)):
            raise Forbidden("This office is not in your region.", code="other_region")
        return
    if user.office_id is None or user.office_id != office_id:
        raise Forbidden("This belongs to another office.")


def init_app(app):
    """Attach Flask-Login."""
    login_manager.init_app(app)
