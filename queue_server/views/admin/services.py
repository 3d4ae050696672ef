"""Admin: an office's services."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ...auth import access
from ...engine import admin as engine
from ...engine.offices import get_office
from ...forms import ActionForm, ServiceForm
from ...models import Service
from ..screens import valid_or_400
from . import REMOVED, bp, render_form, save_or_flash

FIELDS = ("code", "name_vi", "name_en", "prefix", "target_wait_min", "daily_cap", "active")


def _service(service_id):
    return Service.find(service_id)


def _values(form):
    return {name: getattr(form, name).data for name in FIELDS}


@bp.get("/offices/<int:office_id>/services")
@access("admin")
def services(office_id):
    """The office's services."""
    office = get_office(office_id)
    return render_template("admin/services.html", office=office, form=ActionForm(),
                           services=office.services.order_by(Service.code))


@bp.route("/offices/<int:office_id>/services/new", methods=["GET", "POST"])
@access("admin")
def service_new(office_id):
    """Add a service."""
    office = get_office(office_id)
    form = ServiceForm()
    if save_or_flash(form, lambda: engine.save_service(office, None, **_values(form))):
        return redirect(url_for(".services", office_id=office.id))
    return render_form(form, _("New service"), office=office)


@bp.route("/services/<int:service_id>", methods=["GET", "POST"])
@access("admin")
def service_edit(service_id):
    """Edit a service."""
    service = _service(service_id)
    form = ServiceForm(obj=service)
    if save_or_flash(form, lambda: engine.save_service(service.office, service, **_values(form))):
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
    return redirect(url_for(".services", office_id=service.office_id))
