"""Wiring of the people's screens: blueprints, Jinja helpers, sign-in redirects."""
from urllib.parse import urlencode

from flask import g, redirect, request, url_for
from flask_babel import format_datetime, format_decimal, format_time, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from printer.ticket import wait_minutes

from .. import events
from ..extensions import login_manager, socketio
from ..errors import InvalidInput


def office_language(office):
    """Let the office's default language apply when the visitor chose none."""
    g.office_language = office.default_language


def lang_url(lang):
    """The current page in language ``lang`` (the choice is remembered)."""
    args = request.args.to_dict()
    args["lang"] = lang
    if request.endpoint is None or request.method != "GET":  # error pages, form replies
        return "?" + urlencode(args)
    # Path variables win over query arguments of the same name (no duplicate keyword).
    return url_for(request.endpoint, **{**args, **(request.view_args or {})})


def wait_text(seconds):
    """A short, localised "about N min" for an estimated wait: the minutes the printed
    ticket shows (``printer.ticket.wait_minutes``), so screen and paper agree."""
    minutes = wait_minutes(seconds)
    if minutes is None:
        return "—"
    return _("about %(n)s min", n=format_decimal(minutes))


def service_name(service, name_en=None):
    """The service's name in the page's language (Vietnamese when no English name).

    ``service`` is a Service, or the Vietnamese name an engine row carries with its
    English one ``name_en`` beside (``service_name(row.name, row.name_en)``).
    """
    if isinstance(service, str):
        name_vi = service
    else:
        name_vi, name_en = service.name_vi, service.name_en
    if str(get_locale()) == "en" and name_en:
        return name_en
    return name_vi


def valid_or_400(form):
    """True when a POSTed form validates; a missing or stale CSRF token is a 400."""
    if form.validate_on_submit():
        return True
    if "csrf_token" in form.errors:
        raise InvalidInput(_("This form has expired. Go back, reload the page and try again."),
                           code="csrf_failed")
    return False


def require_sign_in():
    """``before_request`` for staff screens: a browser without a session goes to /login."""
    if not current_user.is_authenticated:
        return redirect(url_for("account.login", next=request.full_path.rstrip("?")))
    return None


def init_app(app):
    """Register every screen blueprint and the helpers their templates use."""
    from . import account, console, kiosk, rating, start, track
    from .admin import bp as admin_bp

    for module in (start, kiosk, track, account, console, rating):
        app.register_blueprint(module.bp)
    app.register_blueprint(admin_bp)
    login_manager.login_view = "account.login"
    # Registered per app: a decorator at import time would reach only the first
    # app's Socket.IO server (Flask-SocketIO binds handlers to the live server).
    socketio.on_event("connect", track.track_connect, namespace=events.TRACK_NS)
    app.jinja_env.globals.update(lang_url=lang_url, service_name=service_name,
                                 wait_text=wait_text, current_locale=lambda: str(get_locale()),
                                 format_decimal=format_decimal, format_time=format_time,
                                 format_datetime=format_datetime, csrf_token=generate_csrf)
