"""Admin: offices, with their opening hours, notice, keys and kiosk printer."""
from flask import redirect, url_for
from flask_babel import gettext as _

from ... import printing
from ...auth import access
from ...engine import admin as engine
from ...engine.offices import get_office
from ...forms import ActionForm, OfficeForm
from ..screens import valid_or_400
from . import bp, render_form, region_fields, save_or_flash

# Opening hours have their own page (views/admin/hours.py).
FIELDS = ("name", "timezone", "default_language", "notice", "display_key",
          "kiosk_key", "printer_url", "public_stats", "announce_languages")


def _values(form):
    return {**{name: getattr(form, name).data for name in FIELDS},
            "printer_url_policy": printing.service().url_policy,
            **region_fields.office_values(form)}


@bp.route("/offices/new", methods=["GET", "POST"])
@access("admin")
def office_new():
    """Create an office."""
    form = region_fields.office_form(OfficeForm())
    office = save_or_flash(form, lambda: engine.save_office(None, **_values(form)))
    if office is not None:
        return redirect(url_for(".office_edit", office_id=office.id))
    return render_form(form, _("New office"))


@bp.route("/offices/<int:office_id>", methods=["GET", "POST"])
@access("admin")
def office_edit(office_id):
    """Edit an office; links to its services and counters."""
    office = get_office(office_id)
    form = region_fields.office_form(OfficeForm(obj=office), office)
    if save_or_flash(form, lambda: engine.save_office(office, **_values(form))) is not None:
        return redirect(url_for(".office_edit", office_id=office.id))
    return render_form(form, _("Office: %(name)s", name=office.name), office=office,
                       action_form=ActionForm())


@bp.post("/offices/<int:office_id>/new-key/<any(display, kiosk):which>")
@access("admin")
def office_new_key(office_id, which):
    """Replace the display or kiosk key (old board links stop working)."""
    valid_or_400(ActionForm())
    office = get_office(office_id)
    setattr(office, f"{which}_key", engine.new_key())
    engine.save_office(office, **{name: getattr(office, name) for name in FIELDS},
                       printer_url_policy=printing.service().url_policy)
    return redirect(url_for(".office_edit", office_id=office.id))
