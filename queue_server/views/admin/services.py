"""Admin: an office's services, and the counters that serve each."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ...auth import access
from ...engine import admin as engine
from ...engine.availability import served_ids, unserved
from ...engine.counters import counters_of
from ...engine.offices import get_office
from ...errors import InvalidInput
from ...forms import ActionForm, ServiceForm, choices
from ...models import Counter, Service
from ..screens import valid_or_400
from . import REMOVED, bp, render_form, save_or_flash

FIELDS = ("code", "name_vi", "name_en", "prefix", "target_wait_min", "daily_cap", "active")


def _service(service_id):
    return Service.find(service_id)


def _form(office, service=None):
    form = ServiceForm(obj=service)
    form.counters.choices = choices([(c.id, f"{c.number} – {c.name}" if c.name else str(c.number))
                                     for c in office.counters.order_by(Counter.number)])
    if not form.is_submitted():
        form.counters.data = [c.id for c in counters_of(service)] if service else []
    return form


def _counters(office, ids):
    found = {c.id: c for c in Counter.select().where(
        (Counter.office == office) & Counter.id.in_(list(ids or [])))}
    if set(ids or []) - set(found):
        raise InvalidInput("Choose only this office's counters.", code="other_office_counter")
    return list(found.values())


def _values(office, form):
    return {**{name: getattr(form, name).data for name in FIELDS},
            "counters": _counters(office, form.counters.data)}


def warn_unserved(office):
    """Flash which of the office's services no counter serves (the kiosk hides them)."""
    missing = unserved(office)
    if missing:
        flash(_("No counter serves %(codes)s: the kiosk does not offer it and no ticket is "
                "issued for it. Choose its counters on the service's page.",
                codes=", ".join(s.code for s in missing)), "warn")


@bp.get("/offices/<int:office_id>/services")
@access("admin")
def services(office_id):
    """The office's services, with the counters that serve each."""
    office = get_office(office_id)
    rows = [(s, counters_of(s)) for s in office.services.order_by(Service.code)]
    served = served_ids(office)
    return render_template("admin/services.html", office=office, form=ActionForm(), rows=rows,
                           unserved=[s for s, _ in rows if s.active and s.id not in served])


@bp.route("/offices/<int:office_id>/services/new", methods=["GET", "POST"])
@access("admin")
def service_new(office_id):
    """Add a service."""
    office = get_office(office_id)
    form = _form(office)
    if save_or_flash(form, lambda: engine.save_service(office, None, **_values(office, form))):
        warn_unserved(office)
        return redirect(url_for(".services", office_id=office.id))
    return render_form(form, _("New service"), office=office)


@bp.route("/services/<int:service_id>", methods=["GET", "POST"])
@access("admin")
def service_edit(service_id):
    """Edit a service."""
    service = _service(service_id)
    form = _form(service.office, service)
    if save_or_flash(form, lambda: engine.save_service(service.office, service,
                                                       **_values(service.office, form))):
        warn_unserved(service.office)
        return redirect(url_for(".services", office_id=service.office_id))
    return render_form(form, _("Service %(code)s", code=service.code), office=service.office,
                       remove_url=url_for(".service_remove", service_id=service.id),
                       action_form=ActionForm())


@bp.post("/services/<int:service_id>/remove")
@access("admin")
def service_remove(service_id):
    """Delete, or deactivate when tickets refer to it."""
    valid_or_400(ActionForm())
    service = _service(service_id)
    flash(str(REMOVED[engine.remove_service(service)]), "info")
    warn_unserved(service.office)
    return redirect(url_for(".services", office_id=service.office_id))
