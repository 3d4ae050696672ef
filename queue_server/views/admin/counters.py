"""Admin: an office's counters and the services each serves, in order."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ...auth import access
from ...engine import admin as engine
from ...engine.counters import get_counter, services_of
from ...engine.offices import get_office
from ...errors import InvalidInput
from ...forms import ActionForm, CounterForm
from ...models import Counter, Service
from ..screens import valid_or_400
from . import REMOVED, bp, render_form, save_or_flash
from .services import warn_unserved


def _services(office, text):
    """"B, A" -> the office's services B then A; an unknown code is InvalidInput."""
    found = []
    for code in [c.strip().upper() for c in (text or "").split(",") if c.strip()]:
        service = Service.get_or_none((Service.office == office) & (Service.code == code))
        if service is None:
            raise InvalidInput(f"Unknown service code {code}.", code="unknown_service_code",
                               params={"code": code})
        if service not in found:
            found.append(service)
    return found


def _save(office, counter, form):
    return lambda: engine.save_counter(office, counter, number=form.number.data,
                                       name=form.name.data, active=form.active.data,
                                       services=_services(office, form.services.data))


@bp.get("/offices/<int:office_id>/counters")
@access("admin")
def counters(office_id):
    """The office's counters."""
    office = get_office(office_id)
    rows = [(c, services_of(c)) for c in office.counters.order_by(Counter.number)]
    return render_template("admin/counters.html", office=office, rows=rows, form=ActionForm())


@bp.route("/offices/<int:office_id>/counters/new", methods=["GET", "POST"])
@access("admin")
def counter_new(office_id):
    """Add a counter."""
    office = get_office(office_id)
    form = CounterForm()
    if save_or_flash(form, _save(office, None, form)):
        warn_unserved(office)
        return redirect(url_for(".counters", office_id=office.id))
    return render_form(form, _("New counter"), office=office)


@bp.route("/counters/<int:counter_id>", methods=["GET", "POST"])
@access("admin")
def counter_edit(counter_id):
    """Edit a counter and its services."""
    counter = get_counter(counter_id)
    form = CounterForm(obj=counter)
    if not form.is_submitted():
        form.services.data = ", ".join(s.code for s in services_of(counter))
    if save_or_flash(form, _save(counter.office, counter, form)):
        warn_unserved(counter.office)
        return redirect(url_for(".counters", office_id=counter.office_id))
    return render_form(form, _("Counter %(n)s", n=counter.number), office=counter.office,
                       remove_url=url_for(".counter_remove", counter_id=counter.id),
                       action_form=ActionForm())


@bp.post("/counters/<int:counter_id>/remove")
@access("admin")
def counter_remove(counter_id):
    """Delete, or deactivate when tickets refer to it."""
    valid_or_400(ActionForm())
    counter = get_counter(counter_id)
    flash(str(REMOVED[engine.remove_counter(counter)]), "info")
    warn_unserved(counter.office)
    return redirect(url_for(".counters", office_id=counter.office_id))
