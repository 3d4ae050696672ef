"""The admin's writes: offices, services, counters, users, printers; validated, in transactions.

Rows that tickets (or their history) refer to are never deleted: removing
them deactivates them, so yesterday's figures keep their names.
"""
import secrets
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from peewee import IntegrityError
from printer import PrinterConfigError, TicketValue, build_job, open_transport
from werkzeug.security import generate_password_hash

from ..db import db
from ..errors import Conflict, InvalidInput
from ..models import (ApiToken, Counter, CounterService, Office, PrintJob, Printer, Rating,
                      Service, Ticket, TicketEvent, User, utcnow)
from . import audit
from .accounts import ROLES, create_user, normalise_text
from .clock import local
from .counters import set_services
from .hours import parse_hours

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


def _text(value, what, multiline=False):
    return normalise_text(value, what, multiline=multiline)


def _required(value, what):
    value = _text(value, what)
    if not value:
        raise InvalidInput(f"{what} is required.")
    return value


def save_office(office=None, *, name, timezone, default_language="vi", opening_hours="",
                notice="", display_key=None, kiosk_key=None, public_stats=False,
                printer_url=""):
    """Create (``office`` None) or update an office; returns it."""
    if default_language not in LANGUAGES:
        raise InvalidInput("The default language must be vi or en.")
    parse_hours(opening_hours)
    fields = dict(name=_required(name, "Name"), timezone=check_timezone(timezone),
                  default_language=default_language,
                  opening_hours=_text(opening_hours, "Opening hours", multiline=True),
                  notice=_text(notice, "The notice", multiline=True),
                  display_key=_text(display_key, "The display key") or None,
                  kiosk_key=_text(kiosk_key, "The kiosk key") or None,
                  public_stats=bool(public_stats),
                  printer_url=_text(printer_url, "The printer URL"))
    with db.atomic():
        if office is None:
            office = Office.create(**fields)
            audit.record("office.create", office, **_shown(fields))
            return office
        changed = _changes(office, fields)
        for key, value in fields.items():
            setattr(office, key, value)
        office.save()
        audit.record("office.update", office, **changed)
    return office


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


def save_service(office, service=None, *, code, name_vi, name_en="", prefix,
                 target_wait_min=15, daily_cap=None, active=True):
    """Create or update a service of ``office``; codes are unique per office."""
    code = _required(code, "Code").upper()
    prefix = _required(prefix, "Prefix").upper()
    if len(prefix) != 1 or not prefix.isalnum():
        raise InvalidInput("The prefix is one letter or digit.")
    if target_wait_min is None or target_wait_min < 1:
        raise InvalidInput("The target wait is at least 1 minute.")
    if daily_cap is not None and daily_cap < 1:
        raise InvalidInput("The daily cap is at least 1 (or empty for none).")
    clash = Service.select().where((Service.office == office) & (Service.code == code))
    if service is not None:
        clash = clash.where(Service.id != service.id)
    if clash.exists():
        raise Conflict(f"Service code {code} is already used in this office.", code="duplicate")
    fields = dict(code=code, name_vi=_required(name_vi, "Vietnamese name"),
                  name_en=_text(name_en, "English name"), prefix=prefix,
                  target_wait_min=target_wait_min, daily_cap=daily_cap, active=bool(active))
    with db.atomic():
        if service is None:
            service = Service.create(office=office, **fields)
            audit.record("service.create", service, office=office.id, **fields)
            return service
        changed = _changes(service, fields)
        for key, value in fields.items():
            setattr(service, key, value)
        service.save()
        audit.record("service.update", service, **changed)
    return service


def remove_service(service):
    """Delete a service nobody refers to; deactivate it otherwise. Returns what was done."""
    with db.atomic():
        if Ticket.select().where(Ticket.service == service).exists():
            service.active = False
            service.save(only=[Service.active])
            audit.record("service.deactivate", service, code=service.code)
            return "deactivated"
        CounterService.delete().where(CounterService.service == service).execute()
        audit.record("service.delete", service, code=service.code)
        service.delete_instance()
    return "deleted"


def save_counter(office, counter=None, *, number, name="", active=True, services=()):
    """Create or update a counter; ``services`` in the order the counter serves them."""
    if number is None or number < 1:
        raise InvalidInput("The counter number is 1 or more.")
    clash = Counter.select().where((Counter.office == office) & (Counter.number == number))
    if counter is not None:
        clash = clash.where(Counter.id != counter.id)
    if clash.exists():
        raise Conflict(f"Counter {number} already exists in this office.", code="duplicate")
    if any(s.office_id != office.id for s in services):
        raise InvalidInput("A counter serves only its own office's services.")
    name = _text(name, "The counter name")
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
    return counter


def remove_counter(counter):
    """Delete a counter nobody refers to; deactivate it otherwise."""
    with db.atomic():
        used = (Ticket.select().where(Ticket.counter == counter).exists()
                or TicketEvent.select().where(TicketEvent.counter == counter).exists()
                or Rating.select().where(Rating.counter == counter).exists())
        if used:
            counter.active = False
            counter.save(only=[Counter.active])
            audit.record("counter.deactivate", counter, number=counter.number)
            return "deactivated"
        audit.record("counter.delete", counter, number=counter.number)
        counter.delete_instance(recursive=False)
    return "deleted"


def _check_password(password):
    if not password or len(password) < MIN_PASSWORD:
        raise InvalidInput(f"The password needs at least {MIN_PASSWORD} characters.",
                           code="weak_password")


def save_user(user=None, *, username, role, office=None, full_name="", active=True,
              password=None):
    """Create (with ``password``) or update a user's name, role, office and active flag."""
    if role not in ROLES:
        raise InvalidInput(f"Role must be one of {', '.join(ROLES)}.")
    full_name = _text(full_name, "The full name")
    if user is None:
        _check_password(password)
        with db.atomic():
            try:
                user = create_user(_required(username, "Username"), password, role,
                                   office=office, full_name=full_name)
            except IntegrityError:
                raise Conflict(f"User {username!r} already exists.",
                               code="duplicate") from None
            if not active:
                user.active = False
                user.save(only=[User.active])
            audit.record("user.create", user, username=user.username, role=role,
                         office=office.id if office else None, active=bool(active))
        return user
    with db.atomic():
        fields = dict(role=role, office=office, full_name=full_name, active=bool(active))
        changed = _changes(user, fields)
        user.role, user.office, user.full_name = role, office, full_name
        user.active = bool(active)
        user.save()
        if not user.active:
            _sign_out_everywhere(user)
        audit.record("user.update", user, username=user.username, **changed)
    return user


def _sign_out_everywhere(user):
    from ..models import utcnow

    Counter.update(clerk=None).where(Counter.clerk == user).execute()
    ApiToken.update(revoked_at=utcnow()).where(
        (ApiToken.user == user) & ApiToken.revoked_at.is_null()).execute()


def reset_password(user, password):
    """Give ``user`` a new password (werkzeug scrypt hash)."""
    _check_password(password)
    with db.atomic():
        user.password_hash = generate_password_hash(password)
        user.save(only=[User.password_hash])
        audit.record("user.password", user, username=user.username)
    return user


def remove_user(user):
    """Delete a user nobody refers to; deactivate (and sign out) otherwise."""
    with db.atomic():
        used = (Ticket.select().where(Ticket.clerk == user).exists()
                or TicketEvent.select().where(TicketEvent.user == user).exists()
                or Rating.select().where(Rating.clerk == user).exists())
        if used:
            user.active = False
            user.save(only=[User.active])
            _sign_out_everywhere(user)
            audit.record("user.deactivate", user, username=user.username)
            return "deactivated"
        Counter.update(clerk=None).where(Counter.clerk == user).execute()
        audit.record("user.delete", user, username=user.username)
        user.delete_instance(recursive=False)
    return "deleted"


PRINTER_WIDTHS = (384, 512, 576)  # dots: 58 mm paper, then 80 mm
PRINT_MODES = ("raster", "text")


def check_printer(office, url, width_dots, profile, mode, footer=""):
    """InvalidInput unless ``url`` opens a transport and the paper settings can print.

    The URL is parsed only (nothing is sent): an offline printer may still be
    saved. The settings are checked by building a sample ticket for them.
    """
    try:
        open_transport(url)
    except PrinterConfigError as exc:
        raise InvalidInput(str(exc), code="bad_printer_url") from None
    if width_dots not in PRINTER_WIDTHS:
        raise InvalidInput("The paper width is 384, 512 or 576 dots.", code="bad_printer_paper")
    if mode not in PRINT_MODES:
        raise InvalidInput("The print mode is raster or text.", code="bad_printer_paper")
    sample = TicketValue(office_name=office.name, service_name_vi="Mẫu", service_name_en=None,
                         number="A001", issued_at=local(office, utcnow()), ahead=0,
                         estimated_wait_s=None, priority=False, track_url="-", footer=footer)
    try:
        build_job(sample, width_dots, profile, mode)
    except PrinterConfigError as exc:
        raise InvalidInput(str(exc), code="bad_printer_paper") from None


def save_printer(office, printer=None, *, name, url, width_dots=512, profile="TM-T88V",
                 mode="raster", footer="", active=True):
    """Create or update a ticket printer of ``office`` (names unique per office)."""
    fields = dict(name=_required(name, "Name"), url=_required(url, "The printer URL"),
                  width_dots=width_dots, profile=_required(profile, "The profile"),
                  mode=mode, footer=_text(footer, "The footer"), active=bool(active))
    check_printer(office, fields["url"], width_dots, fields["profile"], mode, fields["footer"])
    clash = Printer.select().where((Printer.office == office) & (Printer.name == fields["name"]))
    if printer is not None:
        clash = clash.where(Printer.id != printer.id)
    if clash.exists():
        raise Conflict(f"Printer {fields['name']!r} already exists in this office.",
                       code="duplicate")
    with db.atomic():
        if printer is None:
            printer = Printer.create(office=office, **fields)
            audit.record("printer.create", printer, office=office.id, **fields)
            return printer
        changed = _changes(printer, fields)
        for key, value in fields.items():
            setattr(printer, key, value)
        printer.save()
        audit.record("printer.update", printer, **changed)
    return printer


def remove_printer(printer):
    """Delete a printer no print job refers to; deactivate it otherwise."""
    with db.atomic():
        if PrintJob.select().where(PrintJob.printer == printer).exists():
            printer.active = False
            printer.save(only=[Printer.active])
            audit.record("printer.deactivate", printer, name=printer.name)
            return "deactivated"
        audit.record("printer.delete", printer, name=printer.name)
        printer.delete_instance()
    return "deleted"
