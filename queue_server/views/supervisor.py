"""The supervisor's screens: live dashboard and reports with downloads (supervisor+).

The dashboard's actions and the per-ticket export are in ``supervisor_actions``.
"""
from datetime import date, datetime, timedelta, timezone

from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import alert_text
from ..auth import access, current, require_office
from ..engine import alerts, offices, staffing, stats, supervision
from ..engine.clock import business_day
from ..engine.stats import comments, export, live
from ..errors import InvalidInput
from ..forms import ActionForm
from ..models import Service
from .screens import service_name

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
               "hour": _l("Hour of day"), "day": _l("Day"), "source": _l("Source")}
SOURCE_NAMES = {"kiosk": _l("Kiosk"), "phone": _l("Phone (/join)"), "booked": _l("Booking"),
                "api": _l("Staff or API"), "simulation": _l("Simulation")}


def named_rows(office, data):
    """The report with its service and source rows labelled in the page's language
    (an English page names a service by its English name where it has one)."""
    if data["group"] == "source":
        for row in data["rows"]:
            row["label"] = str(SOURCE_NAMES.get(row["key"], row["key"]))
    elif data["group"] == "service":
        names = {s.code: service_name(s) for s in Service.select().where(Service.office == office)}
        for row in data["rows"]:
            row["label"] = names.get(row["key"], row["label"])
    return data


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


def snapshot(office):
    """The dashboard's snapshot with the app's alert settings."""
    settings = alerts.settings(current_app.config)
    return live.snapshot(office, alert_length=settings["queue_length"],
                         called_after_s=settings["called_after_s"])


def presets(office):
    """{name: (first, last)}: today, this week (from Monday), this month."""
    today = business_day(office)
    return {"today": (today, today),
            "week": (today - timedelta(days=today.weekday()), today),
            "month": (today.replace(day=1), today)}


PRESET_NAMES = {"today": _l("Today"), "week": _l("This week"), "month": _l("This month")}


def current_preset(office, first, last):
    """The preset a range is shown as: the one asked for, else the first that spans it
    (on the 1st, "today" and "this month" are the same days: one is marked, not both)."""
    spans = presets(office)
    asked = request.args.get("preset")
    if asked in spans and spans[asked] == (first, last):
        return asked
    return next((name for name, span in spans.items() if span == (first, last)), None)


def _range(office):
    today = business_day(office)
    preset = presets(office).get(request.args.get("preset"))
    try:
        first = preset[0] if preset else date.fromisoformat(
            request.args.get("from") or today.replace(day=1).isoformat())
        last = preset[1] if preset else date.fromisoformat(
            request.args.get("to") or today.isoformat())
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


@bp.app_template_filter("fromiso")
def from_iso(text):
    """An ISO time from a snapshot as the naive UTC datetime the formatters take."""
    return datetime.fromisoformat(text).astimezone(timezone.utc).replace(tzinfo=None)


@bp.get("")
@access("regional")
def dashboard():
    """Queues, counters and today's figures; kept live over Socket.IO."""
    office = _office()
    return render_template("supervisor/dashboard.html", office=office, snap=snapshot(office),
                           message=alert_text.message, texts=alert_text.templates(),
                           form=ActionForm(), desks=supervision.counters_of(office))


@bp.get("/reports")
@access("regional")
def reports():
    """Figures over a date range grouped one way, with charts and staffing advice."""
    office = _office()
    first, last, group = _range(office)
    filters = {k: request.args.get(k) or "" for k in ("score", "counter", "clerk")}
    data = named_rows(office, stats.report(office, first, last, group))
    return render_template("supervisor/reports.html", office=office, group=group,
                           groups=GROUP_NAMES, data=data,
                           advice=staffing.advice(office, last), headers=HEADERS,
                           chart_rows=chart_rows, presets=presets(office),
                           current_preset=current_preset(office, first, last),
                           preset_names=PRESET_NAMES, filters=filters,
                           comments=comments.comments(office, first, last, limit=200,
                                                      **filters))


@bp.get("/reports.<any(csv, xlsx):kind>")
@access("regional")
def download(kind):
    """The report on screen as CSV or XLSX, headers in the page's language."""
    office = _office()
    first, last, group = _range(office)
    data = named_rows(office, stats.report(office, first, last, group))
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


from . import supervisor_actions  # noqa: E402,F401 - its routes are on ``bp``
