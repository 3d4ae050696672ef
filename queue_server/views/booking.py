"""Booking a time in advance: choose a service, a day and a slot (/book/<office>),
then the booking's own page (view, cancel, QR, calendar file, check-in on the
office's network). Logic in engine/bookings.py and engine/slots.py."""
import io

import qrcode
import qrcode.image.svg
from flask import (Blueprint, Response, current_app, redirect, render_template, request,
                   url_for)
from flask_babel import format_date
from flask_babel import gettext as _

from ..auth import PUBLIC, access
from ..booking_forms import BookingForm, CodeForm
from ..engine import bookings, offices, remote, slots
from ..engine.booking_calendar import ics_bytes
from ..engine.clock import business_day, local
from ..errors import Forbidden, InvalidInput, NotFound, QueueError
from ..models import Service, utcnow
from .screens import office_language, service_name, valid_or_400

bp = Blueprint("booking", __name__)


def booking_url(booking):
    """The booking's own page, absolute (the QR code's and calendar's target)."""
    base = current_app.config.get("PUBLIC_URL") or request.host_url
    return base.rstrip("/") + url_for("booking.page", code=booking.code)


def window_minutes():
    """(before, after): the configured check-in window around a slot's start."""
    return (current_app.config["CHECK_IN_BEFORE_MIN"], current_app.config["CHECK_IN_AFTER_MIN"])


def svg_qr(text):
    """``text`` as an SVG QR code response (drawn on the server: no script needed)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10,
                        border=2)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue(), 200, {"Content-Type": "image/svg+xml",
                                 "Cache-Control": "private, max-age=3600"}


def _bookable_services(office):
    return [s for s in Service.select().where((Service.office == office.id) & Service.active)
            .order_by(Service.code) if slots.settings_for(s) is not None]


@bp.route("/book/<int:office_id>", methods=["GET", "POST"])
@access(PUBLIC)
def choose(office_id):
    """Service, then day, then a free slot; the booking itself is a POST."""
    office = offices.get_office(office_id)
    office_language(office)
    services = _bookable_services(office)
    form = BookingForm()
    error = None
    service = next((s for s in services if s.code == request.values.get("service")), None)
    if request.method == "POST" and valid_or_400(form):
        if service is None:
            raise NotFound(_("This service takes no bookings."), code="unknown_service")
        try:
            booking = bookings.book(service, form.day.data, form.start.data,
                                    name=form.name.data, phone=form.phone.data)
        except QueueError as exc:
            error = exc
        else:
            return redirect(url_for(".page", code=booking.code, new=1))
    elif request.method == "POST":
        error = (InvalidInput(_("Please check your name and phone number."))
                 if form.name.errors or form.phone.errors
                 else InvalidInput(_("Please choose a time."), code="choose_slot"))
    days = slots.bookable_days(service) if service else []
    day = None
    if service is not None:
        try:
            day = slots.parse_day(request.values.get("day")) if request.values.get("day") \
                else None
        except QueueError:
            day = None
        day = day if day in days else None
    day_slots = slots.day_slots(service, day) if day else []
    return render_template("book/choose.html", office=office, services=services,
                           service=service, days=days, day=day, slots=day_slots, form=form,
                           error=error, keep_days=current_app.config["BOOKING_KEEP_DAYS"]), \
        200 if error is None else error.status


@bp.get("/booking/<code>")
@access(PUBLIC)
def page(code):
    """The booking: service, day, time, status, QR code, calendar file, cancel."""
    booking = bookings.find(code, after_min=window_minutes()[1])
    office = booking.service.office
    office_language(office)
    before, after = window_minutes()
    opens, closes = bookings.window(booking, before, after)
    now = utcnow()
    on_site = remote.on_office_network(office, request.remote_addr)
    return render_template(
        "book/booking.html", office=office, booking=booking, code=bookings.pretty(booking.code),
        service=booking.service, start=local(office, booking.start_at),
        end=local(office, booking.end_at), opens=local(office, opens),
        closes=local(office, closes), blocked=slots.withdrawn(booking),
        can_check_in=on_site and booking.status == "booked" and opens <= now <= closes,
        ticket=bookings.ticket_of(booking), new=request.args.get("new") == "1",
        form=CodeForm(code=booking.code), today=business_day(office) == booking.day)


@bp.post("/booking/<code>/cancel")
@access(PUBLIC)
def cancel(code):
    """Withdraw the booking (whoever holds its code); its place is free again."""
    form = CodeForm()
    valid_or_400(form)
    bookings.cancel(code)
    return redirect(url_for(".page", code=bookings.normalise_code(code)))


@bp.post("/booking/<code>/check-in")
@access(PUBLIC)
def check_in(code):
    """Check in from the phone, which must be on the office's network."""
    form = CodeForm()
    valid_or_400(form)
    booking = bookings.find(code)
    if not remote.on_office_network(booking.service.office, request.remote_addr):
        raise Forbidden(_("Check in at the kiosk, or on the phone on the office's network."),
                        code="not_on_site")
    before, after = window_minutes()
    ticket = bookings.check_in(code, before_min=before, after_min=after)[1]
    return redirect(url_for("track.ticket", token=ticket.token))


@bp.get("/booking/<code>/qr.svg")
@access(PUBLIC)
def qr(code):
    """The booking page's address as a QR code (the kiosk's scanner reads it)."""
    return svg_qr(booking_url(bookings.find(code)))


@bp.get("/book/<code>.ics")
@access(PUBLIC)
def ics(code):
    """The booking as a calendar file for the phone."""
    booking = bookings.find(code)
    office = booking.service.office
    office_language(office)
    body = ics_bytes(booking, office_name=office.name,
                     service_name=service_name(booking.service), url=booking_url(booking),
                     summary=_("Appointment"), description=_("Booking code:"))
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="booking-{booking.code}.ics"',
        "Cache-Control": "private, no-store"})



#: endpoint -> (config key of its rate, methods): per client address, shared per key.
RATE_LIMITED = {
    "booking.choose": ("BOOKING_RATE", ("POST",)),
    "api.create_booking": ("BOOKING_RATE", ("POST",)),
    **{endpoint: ("BOOKING_LOOKUP_RATE", methods) for endpoint, methods in (
        ("booking.page", ("GET",)), ("booking.cancel", ("POST",)),
        ("booking.check_in", ("POST",)), ("booking.ics", ("GET",)),
        ("api.get_booking", ("GET",)), ("api.cancel_booking", ("DELETE",)),
        ("api.check_in_booking", ("POST",)), ("kiosk_checkin.check_in", ("POST",)))},
}


def day_label(day):
    """A local day as the pages write it ("Wednesday, 2 December", "Thứ Tư, 2 tháng 12")."""
    return format_date(day, format="EEEE, d MMMM")


def init_app(app):
    """Register the booking screens (citizens, kiosk check-in, staff) and their rates."""
    from . import bookings_staff, kiosk_checkin

    # The engine's defaults follow the configured window (housekeeping, the estimate).
    bookings.CHECK_IN_BEFORE_MIN = app.config["CHECK_IN_BEFORE_MIN"]
    bookings.CHECK_IN_AFTER_MIN = app.config["CHECK_IN_AFTER_MIN"]
    app.jinja_env.globals["day_label"] = day_label
    for blueprint in (bp, kiosk_checkin.bp, bookings_staff.bp):
        app.register_blueprint(blueprint)
    limiter = app.extensions["queue_limiter"]
    for endpoint, (key, methods) in RATE_LIMITED.items():
        app.view_functions[endpoint] = limiter.shared_limit(
            app.config[key], scope=key, methods=list(methods))(app.view_functions[endpoint])
