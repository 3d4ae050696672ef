"""The words of the supervisor's alerts (``engine.alerts``), in the page's language.

Shared by the dashboard page, the alerts API and the dashboard script (which gets
the same sentences as templates, ``templates()``, to fill from live snapshots).
"""
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

TEMPLATES = {
    "wait_over_target": _l("Service {service}: a ticket has waited {value}, past the "
                           "{limit} target."),
    "queue_length": _l("Service {service}: {value} people waiting, more than {limit}."),
    "called_not_started": _l("Ticket {number} was called to counter {counter} {value} ago "
                             "and is not being served yet."),
    "counter_closed_with_ticket": _l("Counter {counter} is {state} but still holds ticket "
                                     "{number}."),
    "unserved_waiting": _l("Service {service}: {value} waiting and no open counter "
                           "serves it."),
    "printer_problem": _l("Printer {printer}: tickets are not printing ({state})."),
}
STATES = {"closed": _l("closed"), "paused": _l("paused"), "signed_out": _l("left by its clerk"),
          "failed": _l("failed"), "pending": _l("stuck")}
#: Alert values that are durations (seconds), per kind.
DURATIONS = {"wait_over_target": ("value", "limit"), "called_not_started": ("value",)}


def minutes(seconds):
    """A duration as whole minutes in the page's language ("12 min", "12 phút")."""
    return str(_l("%(n)s min", n=format_decimal(max(0, round((seconds or 0) / 60)))))


def message(alert):
    """One alert as a sentence."""
    values = dict(alert)
    for key in DURATIONS.get(alert["kind"], ()):
        values[key] = minutes(alert.get(key))
    if "state" in values:
        values["state"] = str(STATES.get(values["state"], values["state"]))
    template = TEMPLATES.get(alert["kind"])
    if template is None:
        return alert["kind"]
    return str(template).format_map(_Missing(values))


def templates():
    """{kind: sentence with {placeholders}} and the state words, for the script."""
    return {"kinds": {k: str(v) for k, v in TEMPLATES.items()},
            "states": {k: str(v) for k, v in STATES.items()}, "minutes": str(_l("%(n)s min"))}


class _Missing(dict):
    def __missing__(self, key):
        return "–"
