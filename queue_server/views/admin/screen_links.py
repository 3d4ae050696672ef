"""Admin: every screen of an office with its URL, its key and a printable QR code.

The staff setting up a kiosk, a board or a tablet scan the code on its screen
instead of typing a long URL with a key in it.
"""
import base64
import io

import qrcode
import qrcode.image.svg
from flask import render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...auth import access
from ...engine.offices import get_office
from ...engine.screen_list import screens_of
from . import bp

TITLES = {"kiosk": _l("Kiosk"), "board": _l("Waiting-room board"),
          "zone": _l("Board of zone %(name)s"), "counter_display": _l("Display of counter %(name)s"),
          "rating_tablet": _l("Rating tablet of counter %(name)s"),
          "public": _l("Public statistics page"),
          "join_poster": _l("Poster: take a number from the phone (A4)"),
          "booking": _l("Booking page")}


def qr_data_uri(text):
    """``text`` as a QR code in an SVG data URI (the page's CSP allows data: images)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10,
                        border=2)
    out = io.BytesIO()
    image.save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def _title(screen):
    title = str(TITLES[screen["kind"]]) % {"name": screen["name"]}
    if screen["kind"] == "kiosk" and screen["name"]:
        title = _("Kiosk with printer %(name)s", name=screen["name"])
    return title


@bp.get("/offices/<int:office_id>/screens")
@access("admin")
def screens(office_id):
    """The office's screens, each with its URL (key included), the key and a QR code."""
    office = get_office(office_id)
    rows = []
    for screen in screens_of(office):
        args = {**screen["args"], **({"key": screen["key"]} if screen["key"] else {})}
        url = url_for(screen["endpoint"], _external=True, **args)
        rows.append({"kind": screen["kind"], "title": _title(screen), "url": url,
                     "key": screen["key"], "qr": qr_data_uri(url)})
    return render_template("admin/screens.html", office=office, rows=rows)
