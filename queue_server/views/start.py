"""The start page ``/``: the address the server prints, so never a 404.

With the demo it lists every screen with a line on what it is for; otherwise it
sends staff to sign in, and says how the first admin account is made.
"""
from flask import Blueprint, current_app, redirect, render_template, url_for

from ..auth import PUBLIC, access
from ..models import Counter, Office, User
from .screens import office_language

bp = Blueprint("start", __name__)


@bp.get("/")
@access(PUBLIC)
def start():
    """The screens of the first office (demo), or the way in for staff."""
    office = Office.select().order_by(Office.id).first()
    if office is not None:
        office_language(office)
    counter = (Counter.select().where(Counter.office == office).order_by(Counter.number).first()
               if office is not None else None)
    has_admin = User.select().where((User.role == "admin") & (User.active == True)).exists()  # noqa: E712,E501
    return render_template("start/index.html", office=office, counter=counter,
                           demo=bool(current_app.config.get("DEMO")), has_admin=has_admin)


@bp.get("/favicon.ico")
@access(PUBLIC)
def favicon():
    """Browsers and bookmarks that ask for /favicon.ico get the screens' icon."""
    return redirect(url_for("display.static", filename="favicon.svg"), 301)
