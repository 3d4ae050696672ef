"""Flask-WTF forms of the admin's opening-hours page: the weekly table, closures.

Times are text fields written "07:30" (24-hour, as the office writes them); the
engine checks them (engine/hours_admin.py) and the view puts its refusal,
translated, beside the field.
"""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, StringField
from wtforms.validators import Length, Optional

from .engine.hours import DAYS
from .forms import choices

LAST_TICKET_CHOICES = [("", _l("Issue tickets until closing time")),
                       ("estimate", _l("Stop when the estimated wait runs past closing time")),
                       ("time", _l("Stop at a set time"))]
#: The parts of a day's row, by the engine's field names (``params["field"]``).
DAY_PARTS = ("open", "break_start", "break_end", "close")


def _time(label):
    # Text, not <input type="time">: that one shows "01:30 PM" in a browser set to
    # English, where the office writes 13:30.
    return StringField(label, validators=[Optional(), Length(max=8)],
                       render_kw={"class": "time", "inputmode": "numeric", "placeholder": "HH:MM",
                                  "autocomplete": "off", "size": 5})


class HoursForm(FlaskForm):
    """The weekly table (a row per day), always-open, and the last-ticket rule."""

    always_open = BooleanField(_l("Always open (no weekly table)"))
    last_ticket_rule = RadioField(_l("Last ticket"), choices=choices(LAST_TICKET_CHOICES),
                                  default="", validators=[Optional()])
    last_ticket_time = _time(_l("Last ticket at"))

    def day_field(self, day, part):
        """The field of ``part`` ("open", "break_start", "break_end", "close", "on") of
        ``day``."""
        return self[f"{day}_{part}"]

    def days(self):
        """The table as the engine takes it: {day: None | {"open", "close", "break"}}."""
        out = {}
        for day in DAYS:
            if not self.day_field(day, "on").data:
                out[day] = None
                continue
            start = self.day_field(day, "break_start").data or None
            end = self.day_field(day, "break_end").data or None
            out[day] = {"open": self.day_field(day, "open").data or None,
                        "close": self.day_field(day, "close").data or None,
                        "break": {"start": start, "end": end} if start or end else None}
        return out

    def fill(self, hours):
        """Show ``hours`` (engine.hours_admin.hours_of) in the form."""
        self.always_open.data = hours["always_open"]
        self.last_ticket_rule.data = hours["last_ticket"]["rule"]
        self.last_ticket_time.data = hours["last_ticket"]["time"] or ""
        for day in DAYS:
            value = hours["days"][day]
            self.day_field(day, "on").data = value is not None
            pause = (value or {}).get("break") or {}
            for part, shown in (("open", (value or {}).get("open")),
                                ("close", (value or {}).get("close")),
                                ("break_start", pause.get("start")),
                                ("break_end", pause.get("end"))):
                self.day_field(day, part).data = shown or ""


for _day in DAYS:
    setattr(HoursForm, f"{_day}_on", BooleanField(_l("Open")))
    setattr(HoursForm, f"{_day}_open", _time(_l("Opens")))
    setattr(HoursForm, f"{_day}_break_start", _time(_l("Lunch break from")))
    setattr(HoursForm, f"{_day}_break_end", _time(_l("Lunch break until")))
    setattr(HoursForm, f"{_day}_close", _time(_l("Closes")))


class ClosureForm(FlaskForm):
    """Close the office on a day, or on a run of days (Tết)."""

    # dd/mm/yyyy as the office writes dates (YYYY-MM-DD is taken too): views/admin/hours.py
    day = StringField(_l("Closed on"), validators=[Optional(), Length(max=10)],
                      render_kw={"placeholder": "dd/mm/yyyy", "autocomplete": "off"})
    until = StringField(_l("Until (several days)"), validators=[Optional(), Length(max=10)],
                        render_kw={"placeholder": "dd/mm/yyyy", "autocomplete": "off"})
    reason_vi = StringField(_l("Reason (Vietnamese)"), validators=[Optional(), Length(max=200)])
    reason_en = StringField(_l("Reason (English)"), validators=[Optional(), Length(max=200)])
