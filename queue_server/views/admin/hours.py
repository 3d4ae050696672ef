"""Admin: an office's opening hours (weekly table, lunch break, last ticket) and closures.

One page holds the weekly table form, the closures and the form adding one.
The engine's refusals (engine/hours_admin.py) come back with the day and field
they are about and are shown there, in the admin's language.
"""
import re

from babel.dates import get_day_names
from flask import flash, redirect, render_template, url_for
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...auth import access
from ...engine import hours_admin
from ...engine.clock import business_day
from ...engine.hours import DAYS
from ...engine.offices import get_office
from ...error_texts import form_message
from ...errors import QueueError
from ...forms import RowActionForm
from ...hours_forms import DAY_PARTS, ClosureForm, HoursForm
from ..screens import valid_or_400
from . import bp
from .printers import row_id

#: The engine's refusal codes, in the admin's language.
MESSAGES = {
    "bad_time": _l("Write the time as HH:MM, e.g. 07:30."),
    "break_incomplete": _l("A lunch break needs its start and its end."),
    "bad_order": _l("The office opens before its lunch break and closes after it."),
    "never_open": _l("The office opens on no day: tick at least one day, or “always open”."),
    "bad_last_ticket": _l("Write the last-ticket time as HH:MM, e.g. 16:30."),
    "bad_day": _l("Write the date as dd/mm/yyyy, e.g. 05/02/2027."),
    "bad_range": _l("The last day is on or after the first, at most 31 days later."),
    "closure_exists": _l("The office is already closed on %(day)s."),
    "too_long": _l("A reason is 200 characters at most."),
}


def _field_name(exc):
    """The form field an engine refusal is about."""
    params = exc.params
    if exc.code == "never_open":
        return "always_open"
    if exc.code == "bad_last_ticket":
        return "last_ticket_" + params.get("field", "time")
    if "day" in params and params.get("field") in DAY_PARTS:
        return f"{params['day']}_{params['field']}"
    return params.get("field")


def attach(form, exc):
    """Put the translated refusal beside its field (or flash it); False."""
    text = form_message(exc, MESSAGES)
    name = _field_name(exc)
    if name and name in form:
        form[name].errors = list(form[name].errors) + [text]
    else:
        flash(text, "error")
    return False


def iso_day(text):
    """ "05/02/2027" (day/month/year, as the office writes it) as "2027-02-05"; other
    text unchanged (the engine takes "2027-02-05" and refuses the rest)."""
    found = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*", text or "")
    if not found:
        return (text or "").strip()
    day, month, year = found.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def _day_names():
    names = get_day_names("wide", locale=str(get_locale()))
    return {day: names[i].title() for i, day in enumerate(DAYS)}  # "Thứ Hai", "Chủ Nhật"


def _page(office, form, closure_form, status=200):
    today = business_day(office)
    return render_template(
        "admin/hours.html", office=office, form=form, closure_form=closure_form,
        days=DAYS, day_names=_day_names(), row_form=RowActionForm(),
        closures=[(c, format_date(c.day, "EEEE dd/MM/yyyy").title())
                  for c in hours_admin.closures(office, since=today)]), status


@bp.route("/offices/<int:office_id>/hours", methods=["GET", "POST"])
@access("admin")
def hours(office_id):
    """The weekly table and the last-ticket rule (GET shows, POST saves), and closures."""
    office = get_office(office_id)
    form = HoursForm()
    if not form.is_submitted():
        form.fill(hours_admin.hours_of(office))
        return _page(office, form, ClosureForm())
    if valid_or_400(form):
        try:
            hours_admin.save_hours(office, always_open=form.always_open.data,
                                   days=form.days(),
                                   last_ticket={"rule": form.last_ticket_rule.data or "",
                                                "time": form.last_ticket_time.data or ""})
        except QueueError as exc:
            attach(form, exc)
        else:
            flash(_("Saved."), "info")
            return redirect(url_for(".hours", office_id=office.id))
    return _page(office, form, ClosureForm(formdata=None), 400)


@bp.post("/offices/<int:office_id>/closures")
@access("admin")
def closure_add(office_id):
    """Close the office on a day or a run of days."""
    office = get_office(office_id)
    form = ClosureForm()
    if valid_or_400(form):
        try:
            first = hours_admin.parse_day(iso_day(form.day.data), "day")
            last = hours_admin.parse_day(iso_day(form.until.data), "until") \
                if form.until.data else None
            added = hours_admin.add_closures(office, first, last, reason_vi=form.reason_vi.data,
                                             reason_en=form.reason_en.data)
        except QueueError as exc:
            attach(form, exc)
        else:
            flash(_("Closed on %(n)s days.", n=len(added)) if len(added) > 1
                  else _("Closed on %(day)s.", day=format_date(added[0].day)), "info")
            return redirect(url_for(".hours", office_id=office.id, _anchor="closures"))
    hours_form = HoursForm(formdata=None)
    hours_form.fill(hours_admin.hours_of(office))
    return _page(office, hours_form, form, 400)


@bp.post("/offices/<int:office_id>/closures/remove")
@access("admin")
def closure_remove(office_id):
    """Open the office again on a closed day."""
    office = get_office(office_id)
    form = RowActionForm()
    if valid_or_400(form):
        closure = hours_admin.remove_closure(office, row_id(form.row_id.data))
        flash(_("Open again on %(day)s.", day=format_date(closure.day)), "info")
    return redirect(url_for(".hours", office_id=office.id, _anchor="closures"))
