"""Checking a booking in at the kiosk: type the code, or scan the booking's QR code
(kiosk scanners type what they read, then Enter). The booking becomes a ticket,
shown (and printed) like any other kiosk ticket."""
from flask import Blueprint, current_app, redirect, render_template, url_for

from ..auth import PUBLIC, access
from ..booking_forms import CodeForm
from ..engine import bookings, offices
from ..errors import Conflict, NotFound, QueueError
from .kiosk import kiosk_args, print_ticket
from .screens import office_language, valid_or_400

bp = Blueprint("kiosk_checkin", __name__)


@bp.route("/kiosk/<int:office_id>/check-in", methods=["GET", "POST"])
@access(PUBLIC)
def check_in(office_id):
    """The code field (GET); the check-in itself (POST)."""
    office = offices.get_office(office_id)
    office_language(office)
    form = CodeForm()
    error, booking = None, None
    if valid_or_400(form):
        try:
            booking = bookings.find(form.code.data,
                                    after_min=current_app.config["CHECK_IN_AFTER_MIN"])
            if booking.office_id != office.id:
                raise NotFound("This booking is for another office.", code="unknown_booking")
            _, ticket = bookings.check_in(
                booking.code, before_min=current_app.config["CHECK_IN_BEFORE_MIN"],
                after_min=current_app.config["CHECK_IN_AFTER_MIN"])
        except QueueError as exc:
            error = exc
        else:
            status = print_ticket(ticket)
            return redirect(url_for("kiosk.issued", office_id=office.id, token=ticket.token,
                                    printed=status or "none", **kiosk_args()))
    if error is not None and isinstance(error, Conflict) and booking is not None:
        booking = bookings.find(booking.code)  # a late one is a no-show now
    form.code.data = ""
    return render_template("kiosk/check_in.html", office=office, form=form, error=error,
                           booking=booking, start_url=url_for("kiosk.start",
                                                              office_id=office.id,
                                                              **kiosk_args()),
                           alphabet=sorted(bookings.ALPHABET, key=lambda c: (c.isdigit(), c)),
                           before=current_app.config["CHECK_IN_BEFORE_MIN"],
                           after=current_app.config["CHECK_IN_AFTER_MIN"]), \
        200 if error is None else error.status
