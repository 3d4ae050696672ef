"""Forms of the phone and booking screens (Flask-WTF: validation and CSRF)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from .forms import choices

REMOTE_CHOICES = [("open", _l("Anyone with the link")), ("off", _l("Off (kiosk only)")),
                  ("network", _l("Only on the office's network"))]


class BookingForm(FlaskForm):
    service = HiddenField(validators=[DataRequired()])
    day = HiddenField(validators=[DataRequired()])
    start = HiddenField(validators=[DataRequired(), Regexp(r"^\d\d:\d\d$")])
    name = StringField(_l("Your name (optional)"), validators=[Optional(), Length(max=100)])
    phone = StringField(_l("Phone number (optional)"),
                        validators=[Optional(), Length(max=20),
                                    Regexp(r"^[0-9+ ().-]*$",
                                           message=_l("Digits, spaces and + ( ) . - only."))])


class CodeForm(FlaskForm):
    """The kiosk's check-in: a typed code, or what the QR scanner types."""

    code = StringField(_l("Booking code"), validators=[DataRequired(), Length(max=500)])


class BlockForm(FlaskForm):
    service_id = HiddenField(validators=[DataRequired()])
    day = HiddenField(validators=[DataRequired()])
    start = HiddenField(validators=[DataRequired()])
    blocked = HiddenField(validators=[DataRequired()])  # "1" block, "0" unblock
    reason = StringField(_l("Reason (shown to the citizens booked)"),
                         validators=[Optional(), Length(max=200)])


class ServiceBookingForm(FlaskForm):
    service_id = HiddenField(validators=[DataRequired()])
    bookable = BooleanField(_l("Takes bookings"))
    slot_minutes = IntegerField(_l("Slot length (minutes)"), default=30,
                                validators=[DataRequired(), NumberRange(min=5, max=240)])
    capacity = IntegerField(_l("Citizens per slot"), default=2,
                            validators=[DataRequired(), NumberRange(min=1, max=100)])
    days_ahead = IntegerField(_l("Days ahead"), default=7,
                              validators=[Optional(), NumberRange(min=0, max=90)])
    hours_from = StringField(_l("Slots from (HH:MM, empty = opening)"),
                             validators=[Optional(), Regexp(r"^\d\d:\d\d$")])
    hours_to = StringField(_l("Slots until (HH:MM, empty = closing)"),
                           validators=[Optional(), Regexp(r"^\d\d:\d\d$")])
    cutoff_minutes = IntegerField(_l("Booking closes before the slot (minutes)"), default=30,
                                  validators=[Optional(), NumberRange(min=0, max=1440)])


class RemoteJoinForm(FlaskForm):
    mode = SelectField(_l("Taking a number from the phone"), choices=choices(REMOTE_CHOICES))
    networks = StringField(_l("The office's network (address ranges, comma separated)"),
                           validators=[Optional(), Length(max=500)])
