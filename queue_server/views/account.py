"""Signing staff in and out of the screens (Flask-Login session)."""
from urllib.parse import urlparse

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from .. import security
from ..auth import PUBLIC, SessionUser, access, current
from ..engine import accounts, counters, leaving
from ..errors import TooMany, Unauthorized
from ..forms import ActionForm, LoginForm
from .screens import valid_or_400

bp = Blueprint("account", __name__)


def _safe_next(target):
    """Only same-site paths: never bounce a signed-in clerk to another host."""
    if target and urlparse(target).netloc == "" and target.startswith("/") \
            and not target.startswith("//"):
        return target
    return None


def home_for(user):
    """Where a user lands after signing in: admins at the admin pages, supervisors at
    the dashboard, clerks at their counter."""
    if user.role == "admin":
        return url_for("admin.index")
    if user.role == "supervisor":
        return url_for("supervisor.dashboard")
    return url_for("console.index")


@bp.route("/login", methods=["GET", "POST"])
@access(PUBLIC)
def login():
    """The sign-in form."""
    form = LoginForm()
    status = 200
    if request.method == "POST" and valid_or_400(form):
        try:
            user = security.authenticate(form.username.data.strip(), form.password.data)
        except TooMany:
            flash(_("Too many failed sign-ins. Wait a few minutes, then try again."), "error")
            status = 429
        except Unauthorized:
            flash(_("Wrong username or password."), "error")
            status = 401
        else:
            login_user(SessionUser(user))
            return redirect(_safe_next(request.args.get("next")) or home_for(user))
    return render_template("account/login.html", form=form), status


@bp.post("/logout")
@access(PUBLIC)
def logout():
    """Sign out (and leave the counter); a ticket in hand is settled first (the console
    asks what becomes of it)."""
    valid_or_400(ActionForm())
    user = current()
    if user is not None and leaving.ticket_in_hand(user) is not None:
        return redirect(url_for("console.leave_page", then="logout"))
    return end_session()


def end_session():
    """Leave any counter, end this session everywhere it could be replayed, to /login."""
    user = current()
    if user is not None:
        counters.sign_out(user)
        # Ends this cookie on the server too: a copy replayed later loads nobody.
        accounts.end_sessions(user, tokens=False)
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("account.login"))
