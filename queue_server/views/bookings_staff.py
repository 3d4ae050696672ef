"""Staff screens of bookings: the supervisor's day per slot (who booked, who came,
blocking a slot) and the admin's settings (which services take bookings, the
phone-joining switch of the office)."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..auth import access, current, require_office
from ..booking_forms import BlockForm, RemoteJoinForm, ServiceBookingForm
from ..engine import bookings, offices, remote, slots
from ..engine.clock import business_day, day_bounds_utc, local
from ..error_texts import form_message
from ..errors import InvalidInput, QueueError
from ..models import Service, utcnow
from .screens import valid_or_400

bp = Blueprint("bookings_staff", __name__)


def _office():
    office = offices.get_office(request.values.get("office") or current().office_id)
    require_office(office.id)
    return office


def _day_start(office, day):
    # Slots are listed as of the day's start for a past day (staff look back), else now.
    return min(day_bounds_utc(office, day, day)[0], utcnow())


@bp.get("/supervisor/bookings")
@access("supervisor")
def day():
    """Today's (or ``?day=``) bookings per slot, with block and unblock buttons."""
    office = _office()
    today = business_day(office)
    chosen = slots.parse_day(request.args["day"]) if request.args.get("day") else today
    return render_template("bookings/day.html", office=office, day=chosen, today=today,
                           rows=bookings.day_overview(office, chosen), form=BlockForm(),
                           local=lambda at: local(office, at))


@bp.post("/supervisor/bookings/block")
@access("supervisor")
def block():
    """Block (or unblock) one slot; the citizens booked see it on their booking page."""
    office = _office()
    form = BlockForm()
    if not valid_or_400(form) or not form.service_id.data.isdigit():
        raise InvalidInput(_("Choose a slot to block."))
    service = slots.find_service(int(form.service_id.data))
    require_office(service.office_id)
    day = slots.parse_day(form.day.data)
    slots.set_blocked(service, day, form.start.data, blocked=form.blocked.data == "1",
                      reason=form.reason.data or "", at=_day_start(service.office, day))
    flash(_("Slot %(start)s blocked.", start=form.start.data) if form.blocked.data == "1"
          else _("Slot %(start)s open again.", start=form.start.data), "info")
    return redirect(url_for(".day", office=office.id, day=day.isoformat()))


@bp.route("/admin/bookings/<int:office_id>", methods=["GET", "POST"])
@access("admin")
def settings(office_id):
    """Which services take bookings and how; whether phones may take a number."""
    office = offices.get_office(office_id)
    services = list(Service.select().where(Service.office == office.id).order_by(Service.code))
    if request.method == "POST":
        try:
            _save(office, services)
        except QueueError as exc:
            flash(form_message(exc), "error")
        else:
            flash(_("Saved."), "info")
            return redirect(url_for(".settings", office_id=office.id))
    join = remote.settings_for(office)
    forms = []
    for service in services:
        row = slots.BookingSettings.get_or_none(slots.BookingSettings.service == service.id)
        values = {k: getattr(row, k) for k in slots.DEFAULTS} if row else dict(slots.DEFAULTS)
        forms.append((service, ServiceBookingForm(formdata=None, service_id=service.id,
                                                  bookable=bool(row and row.bookable),
                                                  prefix=f"s{service.id}", **values)))
    return render_template("bookings/settings.html", office=office, forms=forms,
                           join_form=RemoteJoinForm(formdata=None, mode=join.mode,
                                                    networks=join.networks))


def _save(office, services):
    if request.form.get("form") == "join":
        form = RemoteJoinForm()
        if valid_or_400(form):
            remote.save(office, form.mode.data, form.networks.data or "")
            return
        raise InvalidInput("Check the fields of the form.", code="check_form")
    for service in services:
        if request.form.get("form") != f"s{service.id}":
            continue
        form = ServiceBookingForm(prefix=f"s{service.id}")
        if not valid_or_400(form):
            raise InvalidInput("Check the fields of the form.", code="check_form")
        slots.save_settings(service, bookable=bool(form.bookable.data),
                            slot_minutes=form.slot_minutes.data, capacity=form.capacity.data,
                            days_ahead=form.days_ahead.data or 0,
                            hours_from=form.hours_from.data or "",
                            hours_to=form.hours_to.data or "",
                            cutoff_minutes=form.cutoff_minutes.data or 0)
        return
    raise InvalidInput("Check the fields of the form.", code="check_form")
