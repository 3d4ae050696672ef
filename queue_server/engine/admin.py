"""The admin's writes: offices, services, counters, users; validated, in transactions.

The admin screens and the JSON API (api/admin_*.py) both write through here.
Rows that tickets (or their history) refer to are never deleted: removing
them deactivates them, so yesterday's figures keep their names (admin_rows.py).
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
from .accounts import ALL_ROLES, check_region, create_user
from .admin_rows import (_changes, _publish, create_or_update, refuse_duplicate,  # noqa: F401
                         remove, required, text)
from .counters import set_counters_of, set_services
from .hours import parse_hours
from .printer_urls import check_url

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
                           code="bad_timezone", params={"timezone": name}) from None
    return name


#: "leave this field as it is" (``save_office(region=...)``)
KEEP = object()


def save_office(office=None, *, name, timezone, default_language="vi", opening_hours=None,
                notice="", display_key=None, kiosk_key=None, public_stats=False,
                printer_url="", printer_url_policy=None, announce_languages="",
                region=KEEP, feedback_promise_h=None):
    """Create (``office`` None) or update an office; returns it.

    ``opening_hours``: the weekly table's JSON (engine/hours.py), None to leave it
    as it is (the admin's hours page writes it: ``hours_admin.save_hours``).
    ``region``: a Region or None (left as it is unless given); ``feedback_promise_h``:
    the hours within which the office promises to answer feedback (unchanged if None).
    ``printer_url_policy``: the server's ``printer_urls.PrinterUrlPolicy`` for the
    kiosk printer URL (default: the strictest).
    """
    if default_language not in LANGUAGES:
        raise InvalidInput("The default language must be vi or en.", code="bad_language")
    announce = [lang for lang in (announce_languages or "").split(",") if lang]
    if any(lang not in LANGUAGES for lang in announce) or len(set(announce)) != len(announce):
        raise InvalidInput("Board announcements: vi and/or en, comma-separated.",
                           code="bad_announce_languages")
    hours = {}
    if opening_hours is not None:
        parse_hours(opening_hours)
        hours["opening_hours"] = text(opening_hours, "Opening hours", multiline=True)
    fields = dict(name=required(name, "Name"), timezone=check_timezone(timezone),
                  default_language=default_language, announce_languages=",".join(announce),
                  **hours,
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
            raise InvalidInput("The promised answer time is 1 to 1440 hours.",
                               code="bad_feedback_promise")
        fields["feedback_promise_h"] = feedback_promise_h
    return create_or_update(Office, office, fields, "office")


# Secrets are logged as "changed", never their value.

def save_service(office, service=None, *, code, name_vi, name_en="", prefix,
                 target_wait_min=15, daily_cap=None, active=True, counters=None):
    """Create or update a service of ``office``; codes are unique per office.

    ``counters``: the office's counters that serve it (None: unchanged); a counter
    that starts serving it serves it after its other services.
    """
    code = required(code, "Code").upper()
    prefix = required(prefix, "Prefix").upper()
    if len(prefix) != 1 or not prefix.isalnum():
        raise InvalidInput("The prefix is one letter or digit.", code="bad_prefix")
    if target_wait_min is None or target_wait_min < 1:
        raise InvalidInput("The target wait is at least 1 minute.", code="bad_target_wait")
    if daily_cap is not None and daily_cap < 1:
        raise InvalidInput("The daily cap is at least 1 (or empty for none).",
                           code="bad_daily_cap")
    refuse_duplicate(Service.select().where((Service.office == office) & (Service.code == code)),
                     service, f"Service code {code} is already used in this office.", code)
    fields = dict(code=code, name_vi=required(name_vi, "Vietnamese name"),
                  name_en=text(name_en, "English name"), prefix=prefix,
                  target_wait_min=target_wait_min, daily_cap=daily_cap, active=bool(active))
    if counters is not None and any(c.office_id != office.id for c in counters):
        raise InvalidInput("A service is served only by its own office's counters.",
                           code="other_office")

    def also(row):
        if counters is not None:
            return {"counters": [c.number for c in set_counters_of(row, counters)]}
    return create_or_update(Service, service, fields, "service", also=also, office=office)


def remove_service(service, when_used="deactivate"):
    """Delete a service nobody refers to; deactivate it otherwise. Returns what was done."""
    return remove(service, "service",
                  lambda: Ticket.select().where(Ticket.service == service).exists(),
                  on_delete=lambda: CounterService.delete().where(
                      CounterService.service == service).execute(),
                  when_used=when_used, code=service.code)


def save_counter(office, counter=None, *, number, name="", active=True, services=()):
    """Create or update a counter; ``services`` in the order the counter serves them."""
    if number is None or number < 1:
        raise InvalidInput("The counter number is 1 or more.", code="bad_counter_number")
    refuse_duplicate(Counter.select().where((Counter.office == office)
                                            & (Counter.number == number)),
                     counter, f"Counter {number} already exists in this office.", number)
    if any(s.office_id != office.id for s in services):
        raise InvalidInput("A counter serves only its own office's services.",
                           code="other_office")
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


def remove_counter(counter, when_used="deactivate"):
    """Delete a counter nobody refers to; deactivate it otherwise. Refused (``when_used
    "refuse"``) also while a clerk is signed in there."""
    return remove(counter, "counter",
                  lambda: ((when_used == "refuse" and counter.clerk_id is not None)
                           or Ticket.select().where(Ticket.counter == counter).exists()
                           or TicketEvent.select().where(TicketEvent.counter == counter).exists()
                           or Rating.select().where(Rating.counter == counter).exists()),
                  when_used=when_used, number=counter.number)


def _check_password(password):
    if not password or len(password) < MIN_PASSWORD:
        raise InvalidInput(f"The password needs at least {MIN_PASSWORD} characters.",
                           code="weak_password", params={"min": MIN_PASSWORD})


def save_user(user=None, *, username, role, office=None, full_name="", active=True,
              password=None, region=None):
    """Create (with ``password``) or update a user's name, role, office, region (a
    regional user's) and active flag."""
    if role not in ALL_ROLES:
        raise InvalidInput(f"Role must be one of {', '.join(ALL_ROLES)}.", code="bad_role")
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
                               code="duplicate", params={"value": username}) from None
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


def remove_user(user, when_used="deactivate"):
    """Delete a user nobody refers to; deactivate (and sign out) otherwise."""
    return remove(user, "user",
                  lambda: (Ticket.select().where(Ticket.clerk == user).exists()
                           or TicketEvent.select().where(TicketEvent.user == user).exists()
                           or Rating.select().where(Rating.clerk == user).exists()),
                  on_deactivate=lambda: _sign_out_everywhere(user),
                  on_delete=lambda: Counter.update(clerk=None).where(
                      Counter.clerk == user).execute(),
                  when_used=when_used, username=user.username)
