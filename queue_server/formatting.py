"""Durations and numbers as the page's language writes them (Jinja filters).

``15 phút``, ``1 giờ 5 phút`` / ``15 min``, ``1 h 5 min`` rather than clock-like
``15:00``; ``3,00`` on Vietnamese pages and ``3.00`` on English ones (Babel's
number conventions through Flask-Babel's ``format_decimal``).
"""
from flask_babel import format_decimal
from flask_babel import gettext as _

#: What a missing figure shows.
NONE = "–"


def format_duration(seconds):
    """A duration in the page's language: seconds under a minute ("45 giây" / "45 s"),
    else whole minutes ("15 phút"), with hours from 60 minutes ("1 giờ 5 phút");
    None is "–"."""
    if seconds is None:
        return NONE
    seconds = max(0, round(float(seconds)))
    if seconds < 60:
        return _("%(n)s s", n=format_decimal(seconds))
    minutes = int(round(seconds / 60.0))
    hours, minutes = divmod(minutes, 60)
    if not hours:
        return _("%(n)s min", n=format_decimal(minutes))
    if not minutes:
        return _("%(h)s h", h=format_decimal(hours))
    return _("%(h)s h %(m)s min", h=format_decimal(hours), m=format_decimal(minutes))


def format_number(value, places=None):
    """``value`` with ``places`` decimals in the page's conventions ("3,00" / "3.00"),
    or as many as it has (up to 3) when ``places`` is None; None is "–"."""
    if value is None:
        return NONE
    if places is None:
        return format_decimal(value)
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(value, format=pattern)


def init_app(app):
    """Register the filters: ``{{ s|duration }}``, ``{{ x|number(2) }}``."""
    app.jinja_env.filters.update(duration=format_duration, number=format_number)
    app.jinja_env.globals.update(format_duration=format_duration)
