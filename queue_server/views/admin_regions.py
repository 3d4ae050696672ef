"""Admin: regions (a province, its cities), which group offices for regional users."""
from flask import Blueprint, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from ..auth import access
from ..engine import regions
from ..forms import choices
from ..models import Region
from .admin import render_form, save_or_flash
from .screens import require_sign_in

bp = Blueprint("admin_regions", __name__, url_prefix="/admin/regions")
bp.before_request(require_sign_in)


class RegionForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    parent_id = SelectField(_l("Part of"), coerce=int, choices=[], validate_choice=False)


def _form(region=None):
    form = RegionForm(obj=region)
    form.parent_id.choices = choices([(0, _("No parent (top level)"))] + [
        (r.id, r.name) for r in regions.all_regions()
        if r.parent_id is None and (region is None or r.id != region.id)])
    if region is not None and not form.is_submitted():
        form.parent_id.data = region.parent_id or 0
    return form


def _save(region, form):
    parent = Region.get_or_none(Region.id == form.parent_id.data) if form.parent_id.data \
        else None
    return lambda: regions.save_region(region, name=form.name.data, parent=parent)


@bp.route("", methods=["GET", "POST"])
@access("admin")
def regions_page():
    """Every region, and a form for a new one."""
    form = _form()
    if save_or_flash(form, _save(None, form)) is not None:
        return redirect(url_for(".regions_page"))
    return render_template("admin/regions.html", regions=regions.all_regions(), form=form,
                           offices_of=regions.offices_of)


@bp.route("/<int:region_id>", methods=["GET", "POST"])
@access("admin")
def region_edit(region_id):
    """Rename a region or move it under another."""
    region = regions.get_region(region_id)
    form = _form(region)
    if save_or_flash(form, _save(region, form)) is not None:
        return redirect(url_for(".regions_page"))
    return render_form(form, _("Region: %(name)s", name=region.name))
