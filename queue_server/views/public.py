"""The public transparency page of an office: per-service waits and satisfaction, no login."""
from flask import Blueprint, abort, render_template

from ..auth import PUBLIC, access
from ..engine.stats import public
from ..models import Office, Service
from .screens import office_language, service_name

bp = Blueprint("public", __name__, url_prefix="/public")


@bp.get("/<int:office_id>")
@access(PUBLIC)
def office_page(office_id):
    """This month's and today's figures, only when the office switched the page on."""
    office = Office.get_or_none(Office.id == office_id)
    if office is None or not office.public_stats:
        abort(404)
    office_language(office)
    names = {s.code: service_name(s) for s in Service.select().where(Service.office == office)}
    return render_template("public/office.html", office=office, data=public.figures(office),
                           names=names)
