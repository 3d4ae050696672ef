"""Admin: an office's display zones (which services and counters a board shows).

One page lists the zones with the board URL of each and holds the add/edit
form (``?zone=<id>`` edits one).
"""
from urllib.parse import unquote_plus

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...auth import access
from ...engine import boards
from ...engine.offices import get_office
from ...errors import InvalidInput, NotFound
from ...forms import RowActionForm, ZoneForm
from ...models import Counter, DisplayZone, Service
from ..screens import valid_or_400
from . import bp
from .printers import row_id, save_into_form

#: Engine refusals shown beside the field they are about, with the codes or numbers
#: refused (the engine's params).
FIELD_OF = {
    "bad_zone_name": ("name", _l("A zone name is 1 to 64 characters, without commas.")),
    "duplicate": ("name", _l("Another zone of this office has this name.")),
    "unknown_service": ("services", _l("Only this office's services can be shown, not: "
                                       "%(codes)s.")),
    "unknown_counter": ("counters", _l("Only this office's counters can be shown (as "
                                       "numbers such as 1, 2), not: %(numbers)s.")),
}


def _zone(office, zone_id):
    zone = DisplayZone.get_or_none((DisplayZone.id == row_id(zone_id))
                                   & (DisplayZone.office == office))
    if zone is None:
        raise NotFound(_("This office has no such display zone."))
    return zone


def _split(text):
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _board_url(office, zone=None):
    return url_for("display.board", office_id=office.id, zone=zone.name if zone else None,
                   key=office.display_key or None, _external=True)


@bp.route("/offices/<int:office_id>/zones", methods=["GET", "POST"])
@access("admin")
def zones(office_id):
    """The office's display zones and their board URLs; add or (``?zone=``) edit one."""
    office = get_office(office_id)
    zone = _zone(office, request.args["zone"]) if request.args.get("zone") else None
    form = ZoneForm()
    if zone is not None and not form.is_submitted():
        form.name.data = zone.name
        form.services.data = ", ".join(_split(zone.service_codes))
        form.counters.data = ", ".join(_split(zone.counter_numbers))
    status = 200
    if request.method == "POST":
        saved = save_into_form(form, lambda: boards.save_zone(
            office, form.name.data, _split(form.services.data), _split(form.counters.data),
            zone=zone, replace=False), FIELD_OF)
        if saved is not None:
            return redirect(url_for(".zones", office_id=office.id))
        status = 400
    rows = []
    for z in DisplayZone.select().where(DisplayZone.office == office).order_by(DisplayZone.name):
        url = _board_url(office, z)
        rows.append((z, url, unquote_plus(url)))  # shown as people read it, linked encoded
    return render_template(
        "admin/zones.html", office=office, zone=zone, form=form, rows=rows,
        office_board=_board_url(office), row_form=RowActionForm(),
        service_codes=[s.code for s in office.services.order_by(Service.code)],
        counter_numbers=[c.number for c in office.counters.order_by(Counter.number)]), status


@bp.post("/offices/<int:office_id>/zones/remove")
@access("admin")
def zone_remove(office_id):
    """Delete a display zone (its board URL then shows an error)."""
    office = get_office(office_id)
    form = RowActionForm()
    if not valid_or_400(form):
        raise InvalidInput(_("Choose a zone to remove."))
    boards.remove_zone(_zone(office, form.row_id.data))
    flash(_("Deleted."), "info")
    return redirect(url_for(".zones", office_id=office.id))
