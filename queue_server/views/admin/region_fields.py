"""The region fields of the admin's office and user forms (issue 19)."""
from flask_babel import gettext as _

from ...engine import regions
from ...forms import choices
from ...models import Region


def _choices(none_label):
    return choices([(0, none_label)] + [
        (r.id, ("— " if r.parent_id else "") + r.name) for r in regions.all_regions()])


def chosen_region(form):
    """The Region picked in ``form.region_id`` (0: none)."""
    value = form.region_id.data
    return Region.get_or_none(Region.id == value) if value else None


def office_form(form, office=None):
    """``form`` with the regions to choose from and the office's current one."""
    form.region_id.choices = _choices(_("No region"))
    if office is not None and not form.is_submitted():
        form.region_id.data = office.region_id or 0
    return form


def office_values(form):
    """save_office's region and promised answer time from the form."""
    return {"region": chosen_region(form),
            "feedback_promise_h": form.feedback_promise_h.data or None}


def user_form(form, user=None):
    """``form`` with the regions a regional user may be given."""
    form.region_id.choices = _choices(_("No region (not a regional user)"))
    if user is not None and not form.is_submitted():
        form.region_id.data = user.region_id or 0
    return form


