"""The supervisor's screens: live dashboard and reports with downloads (supervisor+)."""
from datetime import date

from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..auth import access, current, require_office
from ..engine import offices, staffing, stats
from ..engine.clock import business_day
from ..engine.stats import export, live
from ..errors import InvalidInput

bp = Blueprint("supervisor", __name__, url_prefix="/supervisor")

HEADERS = {
    "label": _l("Group"), "issued": _l("Issued"), "served": _l("Served"),
    "no_show": _l("No-show"), "cancelled": _l("Cancelled"), "transferred": _l("Transferred"),
    "expired": _l("Expired"), "wait_avg_s": _l("Average wait (s)"),
    "wait_p50_s": _l("Median wait (s)"), "wait_p90_s": _l("90th percentile wait (s)"),
    "wait_max_s": _l("Longest wait (s)"), "service_avg_s": _l("Average service time (s)"),
    "service_p50_s": _l("Median service time (s)"),
    "service_p90_s": _l("90th percentile service time (s)"),
    "service_level": _l("Called within target (share)"),
    "rating_1": _l("Dissatisfied"), "rating_2": _l("Neutral"), "rating_3": _l("Satisfied"),
    "rating_4": _l("Very satisfied"), "satisfaction_score": _l("Satisfaction score (1-4)"),
}
GROUP_NAMES = {"service": _l("Service"), "counter": _l("Counter"), "clerk": _l("Clerk"),
               "hour": _l("Hour of day"), "day": _l("Day")}


def chart_rows(rows, *keys, scale=1):
    """{"rows": [(label, [values])], "top": largest} for the ``bars`` chart macro."""
    def value(v):
        return v if v is None or scale == 1 else round(v / scale, 1)

    out = [(str(r["label"]), [value(r[k]) for k in keys]) for r in rows]
    top = max([v for _, values in out for v in values if v] or [1])
    return {"rows": out, "top": top}


def _office():
    user = current()
    office = offices.get_office(request.args.get("office") or user.office_id)
    require_office(office.id)
    return office


def _alert_length():
    return current_app.config.get("QUEUE_ALERT_QUEUE_LENGTH", live.DEFAULT_ALERT_LENGTH)


def _range(office):
    today = business_day(office)
    try:
        first = date.fromisoformat(request.args.get("from") or today.replace(day=1).isoformat())
        last = date.fromisoformat(request.args.get("to") or today.isoformat())
    except ValueError:
        raise InvalidInput(_("Dates must be written as YYYY-MM-DD.")) from None
    if first > last:
        raise InvalidInput(_("The first day must not be after the last day."))
    if (last - first).days > 366 * 5:
        raise InvalidInput(_("The range may span at most five years."))
    group = request.args.get("group", "service")
    if group not in stats.GROUPS:
        raise InvalidInput(_("Unknown grouping."))
    return first, last, group


@bp.get("")
@access("regional")
def dashboard():
    """Queues, counters and today's figures; kept live over Socket.IO."""
    office = _office()
    return render_template("supervisor/dashboard.html", office=office,
                           snap=live.snapshot(office, alert_length=_alert_length()))


@bp.get("/reports")
@access("regional")
def reports():
    """Figures over a date range grouped one way, with charts and staffing advice."""
    office = _office()
    first, last, group = _range(office)
    return render_template("supervisor/reports.html", office=office, group=group,
                           groups=GROUP_NAMES, data=stats.report(office, first, last, group),
                           advice=staffing.advice(office, last), headers=HEADERS,
                           chart_rows=chart_rows)


@bp.get("/reports.<any(csv, xlsx):kind>")
@access("regional")
def download(kind):
    """The report on screen as CSV or XLSX, headers in the page's language."""
    office = _office()
    first, last, group = _range(office)
    data = stats.report(office, first, last, group)
    headers = {k: str(v) for k, v in HEADERS.items()}
    headers["label"] = str(GROUP_NAMES[group])
    name = f"report-{group}-{first.isoformat()}-{last.isoformat()}.{kind}"
    if kind == "csv":
        body, mime = export.csv_bytes(headers, data, _("All")), "text/csv"  # Flask adds the charset
    else:
        body = export.xlsx_bytes(headers, data, _("All"), str(GROUP_NAMES[group]))
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, mimetype=mime,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
