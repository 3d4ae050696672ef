"""A region's screens: the live overview, the comparison with downloads, the public page."""
from datetime import date
from time import monotonic

from flask import (Blueprint, Response, abort, current_app, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..auth import PUBLIC, access, current
from ..engine import comparison, regions
from ..engine.clock import business_day
from ..engine.stats import public_region as public_figures
from ..errors import InvalidInput, NotFound
from ..models import Region
from .screens import service_name
from .supervisor import chart_rows

bp = Blueprint("regional", __name__)

HEADERS = {
    "name": _l("Office"), "code": _l("Code"), "offices": _l("Offices"),
    "issued": _l("Issued"), "served": _l("Served"), "wait_avg_s": _l("Average wait (s)"),
    "wait_p90_s": _l("90th percentile wait (s)"),
    "service_level": _l("Called within target (share)"),
    "service_avg_s": _l("Average service time (s)"), "no_show_share": _l("No-show share"),
    "satisfaction_score": _l("Satisfaction score (1-4)"), "rated": _l("Ratings"),
    "feedback_received": _l("Feedback received"),
    "feedback_answered_in_time": _l("Feedback answered in time"),
}
SHEETS = {"offices": _l("Offices"), "services": _l("Services")}


@bp.get("/region")
@access("regional")
def index():
    """A regional user's own region; an admin picks one; a supervisor their office's."""
    user = current()
    if user.role == "regional":
        return redirect(url_for(".overview", region_id=user.region_id))
    mine = [r for r in regions.all_regions() if regions.may_see_region(user, r)] \
        if user.role == "admin" else []
    if user.role != "admin" and user.office_id:
        office = user.office
        if office.region_id:
            return redirect(url_for(".overview", region_id=office.region_id))
    return render_template("regional/index.html", regions=mine)


@bp.get("/region/<int:region_id>")
@access("regional")
def overview(region_id):
    """Every office of the region now, those needing attention first; polled live."""
    region, shown = regions.scope(current(), region_id)
    return render_template("regional/overview.html", region=region,
                           data=regions.overview(region, offices=shown,
                                                 **regions.alert_limits(current_app.config)))


def _range(region):
    """``from``/``to`` (default: this month so far, the region's first office's days)."""
    offices = regions.offices_of(region)
    today = business_day(offices[0]) if offices else date.today()
    try:
        first = date.fromisoformat(request.args.get("from") or today.replace(day=1).isoformat())
        last = date.fromisoformat(request.args.get("to") or today.isoformat())
    except ValueError:
        raise InvalidInput(_("Dates must be written as YYYY-MM-DD.")) from None
    if first > last:
        raise InvalidInput(_("The first day must not be after the last day."))
    if (last - first).days > 366 * 5:
        raise InvalidInput(_("The range may span at most five years."))
    return first, last


def _compared(shown, first, last, region):
    """The comparison with each service named in the page's language (page and files)."""
    data = comparison.comparison(shown, first, last, region)
    for row in data["services"]:
        row["name"] = service_name(row["name"], row["name_en"])
        row["label"] = f"{row['code']} {row['name']}"
    return data


@bp.get("/region/<int:region_id>/comparison")
@access("regional")
def comparison_page(region_id):
    """The offices and services of the region compared over a period, with charts."""
    region, shown = regions.scope(current(), region_id)
    first, last = _range(region)
    data = _compared(shown, first, last, region)
    return render_template("regional/comparison.html", region=region, data=data,
                           headers=HEADERS, chart_rows=chart_rows)


@bp.get("/region/<int:region_id>/comparison.<any(csv, xlsx):kind>")
@access("regional")
def comparison_download(region_id, kind):
    """The comparison as CSV (offices, or ``?table=services``) or XLSX (both sheets)."""
    region, shown = regions.scope(current(), region_id)
    first, last = _range(region)
    data = _compared(shown, first, last, region)
    headers = {k: str(v) for k, v in HEADERS.items()}
    name = f"region-{region.id}-{first.isoformat()}-{last.isoformat()}.{kind}"
    if kind == "csv":
        table = "services" if request.args.get("table") == "services" else "offices"
        body, mime = comparison.csv_bytes(headers, data, table), "text/csv"
    else:
        body = comparison.xlsx_bytes(headers, data, SHEETS)
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, mimetype=mime,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/public/region/<int:region_id>")
@access(PUBLIC)
def public_region(region_id):
    """For every office that publishes its figures: the wait now and usual at this hour."""
    region = Region.get_or_none(Region.id == region_id)
    if region is None:
        abort(404)
    try:
        data = _recent_public_figures(region)
    except NotFound:
        abort(404)
    return render_template("regional/public.html", region=region, data=data)


#: The public regional page's figures are reused this long: a hundred offices'
#: estimates take about a second (bench/bench_region.py) and the page is open to
#: anyone, so they are not worked out again for every visit.
PUBLIC_FRESH_S = 20


def _recent_public_figures(region):
    recent = current_app.extensions.setdefault("public_region_figures", {})
    made, data = recent.get(region.id, (None, None))
    if made is None or monotonic() - made > PUBLIC_FRESH_S:
        data = public_figures.figures(region)
        recent[region.id] = (monotonic(), data)
    return data



