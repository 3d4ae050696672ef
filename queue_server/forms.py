"""Flask-WTF forms of the screens: validation and CSRF; labels translated lazily."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, HiddenField, IntegerField, PasswordField, RadioField,
                     SelectField, SelectMultipleField, StringField, TextAreaField)
from wtforms.widgets import CheckboxInput, ListWidget
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional


def choices(pairs):
    """``(value, label)`` pairs as WTForms' ``SelectChoice`` (tuples go in WTForms 3.4)."""
    return [SelectChoice(value, label) for value, label in pairs]


PRIORITY_CHOICES = [("", _l("No priority")), ("elderly", _l("Elderly person")),
                    ("disabled", _l("Person with a disability")),
                    ("pregnant", _l("Pregnant woman")),
                    ("children", _l("With a small child"))]
RATING_CHOICES = [("very_satisfied", _l("Very satisfied")), ("satisfied", _l("Satisfied")),
                  ("neutral", _l("Neutral")), ("dissatisfied", _l("Dissatisfied"))]
ROLE_CHOICES = [("clerk", _l("Clerk")), ("supervisor", _l("Supervisor")),
                ("admin", _l("Administrator")), ("regional", _l("Regional (read-only)"))]
LANGUAGE_CHOICES = [("vi", "Tiếng Việt"), ("en", "English")]
ANNOUNCE_CHOICES = [("", _l("Automatic: Vietnamese, then English when the services have "
                           "English names")),
                    ("vi", "Tiếng Việt"), ("vi,en", "Tiếng Việt, English"),
                    ("en,vi", "English, Tiếng Việt"), ("en", "English")]


class ActionForm(FlaskForm):
    """A button that acts: only the CSRF token (and the ticket it acts on)."""

    ticket_id = HiddenField()


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class KioskForm(FlaskForm):
    service = HiddenField(validators=[DataRequired()])
    priority = RadioField(_l("Priority"), choices=choices(PRIORITY_CHOICES), default="",
                          validators=[Optional()])


class SignInCounterForm(FlaskForm):
    counter_id = SelectField(_l("Counter"), coerce=int, validators=[DataRequired()])


class TransferForm(FlaskForm):
    ticket_id = HiddenField(validators=[DataRequired()])
    service = SelectField(_l("Transfer to service"), validators=[DataRequired()])


class RatingForm(FlaskForm):
    ticket_id = HiddenField(validators=[DataRequired()])
    level = RadioField(_l("How satisfied are you?"), choices=choices(RATING_CHOICES),
                       validators=[DataRequired()])
    comment = TextAreaField(_l("Comment (optional)"), validators=[Optional(), Length(max=1000)])


class OfficeForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    timezone = StringField(_l("Timezone"), default="Asia/Ho_Chi_Minh",
                           validators=[DataRequired(), Length(max=64)])
    default_language = SelectField(_l("Default language"), choices=choices(LANGUAGE_CHOICES))
    notice = TextAreaField(_l("Board notice"), validators=[Optional(), Length(max=2000)])
    display_key = StringField(_l("Display key"), validators=[Optional(), Length(max=128)])
    kiosk_key = StringField(_l("Kiosk key"), validators=[Optional(), Length(max=128)])
    printer_url = StringField(_l("Kiosk printer URL"), validators=[Optional(), Length(max=255)])
    public_stats = BooleanField(_l("Public statistics"))
    announce_languages = SelectField(_l("Board announcements"),
                                     choices=choices(ANNOUNCE_CHOICES), default="")
    region_id = SelectField(_l("Region"), coerce=int, choices=[], validate_choice=False)
    feedback_promise_h = IntegerField(_l("Feedback answered within (hours)"), default=72,
                                      validators=[Optional(), NumberRange(min=1, max=1440)])


class ServiceForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=16)])
    name_vi = StringField(_l("Name (Vietnamese)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=200)])
    prefix = StringField(_l("Number prefix"), validators=[DataRequired(), Length(min=1, max=1)])
    target_wait_min = IntegerField(_l("Target wait (minutes)"), default=15,
                                   validators=[DataRequired(), NumberRange(min=1, max=600)])
    daily_cap = IntegerField(_l("Daily cap (empty = none)"),
                             validators=[Optional(), NumberRange(min=1, max=9999)])
    active = BooleanField(_l("Active"), default=True)
    # Choices: the office's counters (views/admin/services.py); none = not offered.
    counters = SelectMultipleField(_l("Counters that serve it"), coerce=int,
                                   validate_choice=False, widget=ListWidget(prefix_label=False),
                                   option_widget=CheckboxInput())


class CounterForm(FlaskForm):
    number = IntegerField(_l("Number"), validators=[DataRequired(), NumberRange(min=1, max=999)])
    name = StringField(_l("Name"), validators=[Optional(), Length(max=100)])
    services = StringField(_l("Services in order (codes, comma separated)"),
                           validators=[Optional(), Length(max=255)])
    active = BooleanField(_l("Active"), default=True)


class UserForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    full_name = StringField(_l("Full name"), validators=[Optional(), Length(max=200)])
    role = SelectField(_l("Role"), choices=choices(ROLE_CHOICES))
    office_id = SelectField(_l("Office"), coerce=int)
    region_id = SelectField(_l("Region (regional users)"), coerce=int, choices=[],
                            validate_choice=False)
    active = BooleanField(_l("Active"), default=True)
    password = PasswordField(_l("Password (new users)"), validators=[Optional(), Length(max=200)])


class PasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)])


class RowActionForm(FlaskForm):
    """A button acting on one row of a list (remove a printer or a zone)."""

    row_id = HiddenField(validators=[DataRequired()])


PAPER_CHOICES = [(384, _l("384 dots (58 mm paper)")), (512, _l("512 dots (80 mm paper)")),
                 (576, _l("576 dots (80 mm paper, wide)"))]
PRINT_MODE_CHOICES = [("raster", _l("Picture (Vietnamese accents)")),
                      ("text", _l("Text without accents (old printers)"))]


class PrinterForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    url = StringField(_l("Printer URL"), validators=[DataRequired(), Length(max=255)],
                      description=_l("e.g. tcp://192.168.1.50:9100, usb://04b8:0202, "
                                     "file:///dev/usb/lp0, preview:"))
    width_dots = SelectField(_l("Paper width"), choices=choices(PAPER_CHOICES), coerce=int,
                             default=512)
    profile = StringField(_l("Printer profile (python-escpos)"), default="TM-T88V",
                          validators=[DataRequired(), Length(max=64)])
    mode = SelectField(_l("Print mode"), choices=choices(PRINT_MODE_CHOICES), default="raster")
    footer = StringField(_l("Footer line"), validators=[Optional(), Length(max=200)])
    active = BooleanField(_l("Active"), default=True)


class ReprintForm(FlaskForm):
    """Reprint a failed job's ticket, at its printer or another one."""

    job_id = HiddenField(validators=[DataRequired()])
    printer_id = SelectField(_l("Printer"), validate_choice=False)


class ZoneForm(FlaskForm):
    name = StringField(_l("Zone name"), validators=[DataRequired(), Length(max=64)])
    services = StringField(_l("Services (codes, comma separated; empty = all)"),
                           validators=[Optional(), Length(max=255)])
    counters = StringField(_l("Counters (numbers, comma separated; empty = all)"),
                           validators=[Optional(), Length(max=255)])


__all__ = ["ActionForm", "LoginForm", "KioskForm", "SignInCounterForm", "TransferForm",
           "RatingForm", "OfficeForm", "ServiceForm", "CounterForm", "UserForm",
           "PasswordForm", "RowActionForm", "PrinterForm", "ReprintForm", "ZoneForm"]


class NoteForm(FlaskForm):
    """The clerk's note on the current ticket."""

    ticket_id = HiddenField(validators=[DataRequired()])
    note = StringField(_l("Note on the ticket"), validators=[Optional(), Length(max=500)])


LEAVE_CHOICES = [("finish", _l("It is served: finish it")),
                 ("no_show", _l("The citizen did not come: no-show")),
                 ("release", _l("Hand it back to the line (another counter calls it)"))]


class LeaveForm(FlaskForm):
    """Leaving a counter with a ticket in hand: what becomes of it, and where to go."""

    ticket = RadioField(_l("What becomes of the ticket?"), choices=choices(LEAVE_CHOICES),
                        validators=[Optional()])
    then = HiddenField()
    counter_id = HiddenField()


__all__ += ["NoteForm", "LeaveForm"]
