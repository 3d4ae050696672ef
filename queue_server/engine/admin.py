"""The admin's writes: offices, services, counters, users; validated, in transactions.

Rows that tickets (or their history) refer to are never deleted: removing
them deactivates them, so yesterday's figures keep their names.
"""
import secrets
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from peewee import IntegrityError
from werkzeug.security import generate_password_hash

from ..db import db
from ..errors import Conflict, InvalidInput
from ..models import (Counter, CounterService, Office, Rating, Service, Ticket,
                      TicketEvent, User)
from . import accounts, audit
from .accounts import ALL_ROLES, check_region, create_user, normalise_text
from .counters import set_services
from .hours import parse_hours
from .printer_urls import check_url
from .signals import publish_office

LANGUAGES = ("vi", "en")
MIN_PASSWORD = 8


def new_key():
    """A fresh random key for a board or kiosk URL."""
    return secrets.token_urlsafe(24)


def check_timezone(name):
    """``name`` if it is an IANA timezone zoneinfo knows, else InvalidInput."""
    try:
        ZoneInfo(name or "")
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"Unknown timezone {name!r} (use e.g. Asia/Ho_Chi_Minh).",
                           code="bad_timezone") from None
    return name


def text(value, what, multiline=False):
    """``value`` normalised (NFC, no control characters), or InvalidInput naming ``what``."""
    return normalise_text(value, what, multiline=multiline)


def required(value, what):
    """Like ``text``, and refused when empty."""
    value = text(value, what)
    if not value:
        raise InvalidInput(f"{what} is required.")
    return value


#: "leave this field as it is" (``save_office(region=...)``)
KEEP = object()


def save_office(office=None, *, name, timezone, default_language="vi", opening_hours="",
                notice="", display_key=None, kiosk_key=None, public_stats=False,
                printer_url="", printer_url_policy=None, region=KEEP, feedback_promise_h=None):
    """Create (``office`` None) or update an office; returns it.

    ``region``: a Region or None (left as it is unless given); ``feedback_promise_h``:
    the hours within which the office promises to answer feedback (unchanged if None).

    ``printer_url_policy``: the server's ``printer_urls.PrinterUrlPolicy`` for the
    kiosk printer URL (default: the strictest).
    """
    if default_language not in LANGUAGES:
        raise InvalidInput("The default language must be vi or en.")
    parse_hours(opening_hours)
    fields = dict(name=required(name, "Name"), timezone=check_timezone(timezone),
                  default_language=default_language,
                  opening_hours=text(opening_hours, "Opening hours", multiline=True),
                  notice=text(notice, "The notice", multiline=True),
                  display_key=text(display_key, "The display key") or None,
                  kiosk_key=text(kiosk_key, "The kiosk key") or None,
                  public_stats=bool(public_stats),
                  printer_url=text(printer_url, "The printer URL"))
    if fields["printer_url"]:
        check_url(fields["printer_url"], printer_url_policy)
    if region is not KEEP:
        fields["region"] = region
    if feedback_promise_h is not None:
        if isinstance(feedback_promise_h, bool) or not isinstance(feedback_promise_h, int) \
                or not 1 <= feedback_promise_h <= 24 * 60:
            raise InvalidInput("The promised answer time is 1 to 1440 hours.")
        fields["feedback_promise_h"] = feedback_promise_h
    return create_or_update(Office, office, fields, "office")


# Secrets are logged as "changed", never their value.
_SECRET_FIELDS = ("display_key", "kiosk_key", "password")


def _shown(fields):
    return {k: ("(set)" if k in _SECRET_FIELDS and v else v) for k, v in fields.items()}


def _changes(row, fields):
    """{field: [old, new]} of what an update changes (secrets masked)."""
    out = {}
    for key, value in fields.items():
        old = getattr(row, key + "_id", None) if hasattr(row, key + "_id") else getattr(row, key)
        new = getattr(value, "id", value)
        if old != new:
            out[key] = "(changed)" if key in _SECRET_FIELDS else [old, new]
    return out


def refuse_duplicate(query, row, message):
    """Conflict when ``query`` finds another row than ``row`` (uniqueness per office)."""
    if row is not None:
        query = query.where(type(row).id != row.id)
    if query.exists():
        raise Conflict(message, code="duplicate")


def create_or_update(model, row, fields, kind, **created):
    """Create a ``model`` row (``row`` None) or update ``row`` with ``fields``, audited."""
    with db.atomic():
        if row is None:
            row = model.create(**created, **fields)
            audit.record(f"{kind}.create", row, **{k: getattr(v, "id", v)
                                                   for k, v in created.items()},
                         **_shown(fields))
        else:
            changed = _changes(row, fields)
            for key, value in fields.items():
                setattr(row, key, value)
            row.save()
            audit.record(f"{kind}.update", row, **changed)
    _publish(kind, row)
    return row


def _publish(kind, row):
    """Open screens of the office hear of a committed change to its set-up (users:
    no screen shows them)."""
    if kind in ("office", "service", "counter"):
        publish_office(kind, row.id if kind == "office" else row.office_id)


def remove(row, kind, in_use, *, on_deactivate=None, on_delete=None, **details):
    """Delete ``row`` when ``in_use()`` is false, else deactivate it; audited.

    Returns "deleted" or "deactivated". The check runs in the same transaction.
    """
    with db.atomic():
        if in_use():
            row.active = False
            row.save(only=[type(row).active])
            if on_deactivate:
                on_deactivate()
            audit.record(f"{kind}.deactivate", row, **details)
            outcome = "deactivated"
        else:
            if on_delete:
                on_delete()
            audit.record(f"{kind}.delete", row, **details)
            row.delete_instance(recursive=False)
            outcome = "deleted"
    _publish(kind, row)
    return outcome


def save_service(office, service=None, *, code, name_vi, name_en="", prefix,
                 target_wait_min=15, daily_cap=None, active=True):
    """Create or update a service of ``office``; codes are unique per office."""
    code = required(code, "Code").upper()
    prefix = required(prefix, "Prefix").upper()
    if len(prefix) != 1 or not prefix.isalnum():
        raise InvalidInput("The prefix is one letter or digit.")
    if target_wait_min is None or target_wait_min < 1:
        raise InvalidInput("The target wait is at least 1 minute.")
    if daily_cap is not None and daily_cap < 1:
        raise InvalidInput("The daily cap is at least 1 (or empty for none).")
    refuse_duplicate(Service.select().where((Service.office == office) & (Service.code == code)),
                     service, f"Service code {code} is already used in this office.")
    fields = dict(code=code, name_vi=required(name_vi, "Vietnamese name"),
                  name_en=text(name_en, "English name"), prefix=prefix,
                  target_wait_min=target_wait_min, daily_cap=daily_cap, active=bool(active))
    return create_or_update(Service, service, fields, "service", office=office)


def remove_service(service):
    """Delete a service nobody refers to; deactivate it otherwise. Returns what was done."""
    return remove(service, "service",
                  lambda: Ticket.select().where(Ticket.service == service).exists(),
                  on_delete=lambda: CounterService.delete().where(
                      CounterService.service == service).execute(),
                  code=service.code)


def save_counter(office, counter=None, *, number, name="", active=True, services=()):
    """Create or update a counter; ``services`` in the order the counter serves them."""
    if number is None or number < 1:
        raise InvalidInput("The counter number is 1 or more.")
    refuse_duplicate(Counter.select().where((Counter.office == office)
                                            & (Counter.number == number)),
                     counter, f"Counter {number} already exists in this office.")
    if any(s.office_id != office.id for s in services):
        raise InvalidInput("A counter serves only its own office's services.")
    name = text(name, "The counter name")
    with db.atomic():
        if counter is None:
            counter = Counter.create(office=office, number=number, name=name,
                                     active=bool(active))
            action = "counter.create"
        else:
            counter.number, counter.name, counter.active = number, name, bool(active)
            counter.save()
            action = "counter.update"
        set_services(counter, list(services))
        audit.record(action, counter, office=office.id, number=number, name=name,
                     active=bool(active), services=[s.code for s in services])
    _publish("counter", counter)
    return counter


def remove_counter(counter):
    """Delete a counter nobody refers to; deactivate it otherwise."""
    return remove(counter, "counter",
                  lambda: (Ticket.select().where(Ticket.counter == counter).exists()
                           or TicketEvent.select().where(TicketEvent.counter == counter).exists()
                           or Rating.select().where(Rating.counter == counter).exists()),
                  number=counter.number)


def _check_password(password):
    if not password or len(password) < MIN_PASSWORD:
        raise InvalidInput(f"The password needs at least {MIN_PASSWORD} characters.",
                           code="weak_password")


def save_user(user=None, *, username, role, office=None, full_name="", active=True,
              password=None, region=None):
    """Create (with ``password``) or update a user's name, role, office, region (a
    regional user's) and active flag."""
    if role not in ALL_ROLES:
        raise InvalidInput(f"Role must be one of {', '.join(ALL_ROLES)}.")
    check_region(role, office, region)
    full_name = text(full_name, "The full name")
    if user is None:
        _check_password(password)
        with db.atomic():
            try:
                user = create_user(required(username, "Username"), password, role,
                                   office=office, full_name=full_name, region=region)
            except IntegrityError:
                raise Conflict(f"User {username!r} already exists.",
                               code="duplicate") from None
            if not active:
                user.active = False
                user.save(only=[User.active])
            audit.record("user.create", user, username=user.username, role=role,
                         office=office.id if office else None, active=bool(active),
                         region=region.id if region else None)
        return user
    with db.atomic():
        fields = dict(role=role, office=office, full_name=full_name, active=bool(active),
                      region=region)
        changed = _changes(user, fields)
        user.role, user.office, user.full_name = role, office, full_name
        user.active, user.region = bool(active), region
        # Only these columns: a full save would write back a stale session_version.
        user.save(only=[User.role, User.office, User.full_name, User.active, User.region])
        if not user.active:
            _sign_out_everywhere(user)
        audit.record("user.update", user, username=user.username, **changed)
    return user


def _sign_out_everywhere(user):
    Counter.update(clerk=None).where(Counter.clerk == user).execute()
    accounts.end_sessions(user)


def reset_password(user, password):
    """Give ``user`` a new password (werkzeug scrypt hash)."""
    _check_password(password)
    with db.atomic():
        user.password_hash = generate_password_hash(password)
        user.save(only=[User.password_hash])
        accounts.end_sessions(user)  # a thief holding a cookie or token is out
        audit.record("user.password", user, username=user.username)
    return user


def remove_user(user):
    """Delete a user nobody refers to; deactivate (and sign out) otherwise."""
    return remove(user, "user",
                  lambda: (Ticket.select().where(Ticket.clerk == user).exists()
                           or TicketEvent.select().where(TicketEvent.user == user).exists()
                           or Rating.select().where(Rating.clerk == user).exists()),
                  on_deactivate=lambda: _sign_out_everywhere(user),
                  on_delete=lambda: Counter.update(clerk=None).where(
                      Counter.clerk == user).execute(),
                  username=user.username)
