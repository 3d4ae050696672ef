"""Counters: lookup, pause and resume, who is signed in and who may act where."""
from peewee import fn

from ..db import db, is_sqlite
from ..errors import Conflict, Forbidden
from ..models import Counter, CounterService, Service, Ticket, User
from .accounts import role_at_least
from .signals import publish_counter


def get_counter(counter_id):
    """The counter with ``counter_id``, or NotFound."""
    return Counter.find(counter_id)


def services_of(counter):
    """The services a counter serves, in its order."""
    return list(Service.select().join(CounterService)
                .where(CounterService.counter == counter)
                .order_by(CounterService.position))


def set_services(counter, services):
    """Replace the counter's services with ``services`` in that order."""
    with db.atomic():
        CounterService.delete().where(CounterService.counter == counter).execute()
        for position, service in enumerate(services):
            CounterService.create(counter=counter, service=service, position=position)


def counters_of(service):
    """The counters that serve ``service``, by number."""
    return list(Counter.select().join(CounterService)
                .where(CounterService.service == service).order_by(Counter.number))


def set_counters_of(service, counters):
    """Make exactly ``counters`` serve ``service``; returns them by number.

    A counter that keeps serving it keeps its place in that counter's order; one
    that starts serving it serves it after its other services.
    """
    wanted = {c.id: c for c in counters}
    with db.atomic():
        links = list(CounterService.select().where(CounterService.service == service))
        gone = [link.id for link in links if link.counter_id not in wanted]
        if gone:
            CounterService.delete().where(CounterService.id.in_(gone)).execute()
        kept = {link.counter_id for link in links}
        for counter_id in sorted(set(wanted) - kept):
            last = (CounterService.select(fn.MAX(CounterService.position))
                    .where(CounterService.counter == counter_id).scalar())
            CounterService.create(counter=counter_id, service=service,
                                  position=0 if last is None else last + 1)
    return sorted(wanted.values(), key=lambda c: c.number)


def _set_paused(counter_id, paused):
    with db.atomic():
        counter = get_counter(counter_id)
        if counter.paused == paused:
            state = "paused" if paused else "open"
            raise Conflict(f"Counter {counter.number} is already {state}.",
                           code="invalid_transition")
        counter.paused = paused
        counter.save(only=[Counter.paused])
    publish_counter("paused" if paused else "resumed", counter)
    return counter


def pause(counter_id):
    """Pause a counter: it takes no calls until resumed."""
    return _set_paused(counter_id, True)


def resume(counter_id):
    """Resume a paused counter."""
    return _set_paused(counter_id, False)


def sign_in(counter_id, user):
    """Record that ``user`` works at the counter now (leaving any other counter).

    A clerk cannot take a counter another clerk is signed in at (Forbidden
    ``counter_taken``); a supervisor or admin may.
    """
    with db.atomic():
        counter = get_counter(counter_id)
        if not role_at_least(user, "supervisor") and counter.clerk_id not in (None, user.id):
            raise _taken(counter)
        Counter.update(clerk=None).where(Counter.clerk == user).execute()
        counter.clerk = user
        counter.save(only=[Counter.clerk])
    publish_counter("signed_in", counter)
    return counter


def sign_out(user):
    """Clear ``user`` from any counter."""
    counters = list(Counter.select().where(Counter.clerk == user))
    with db.atomic():
        Counter.update(clerk=None).where(Counter.clerk == user).execute()
    for counter in counters:
        counter.clerk = None
        publish_counter("signed_out", counter)


def sign_out_at(counter_id, user):
    """End the sign-in at one counter: its own clerk, or a supervisor or admin, may.

    Conflict ``nobody_signed_in`` when nobody is signed in there; Forbidden
    ``counter_taken`` for a clerk at another clerk's counter.
    """
    with db.atomic():
        counter = get_counter(counter_id)
        if counter.clerk_id is None or (counter.clerk_id != user.id
                                        and not role_at_least(user, "supervisor")):
            if counter.clerk_id is None:
                raise Conflict(f"Nobody is signed in at counter {counter.number}.",
                               code="nobody_signed_in")
            raise _taken(counter)
        Counter.update(clerk=None).where(Counter.id == counter.id).execute()
        counter.clerk = None
    publish_counter("signed_out", counter)
    return counter


def _taken(counter):
    return Forbidden(f"Another clerk is signed in at counter {counter.number}.",
                     code="counter_taken")


def _held_by(user):
    return Counter.get_or_none(Counter.clerk == user.id)


def act_at(counter, user):
    """Check that ``user`` may act at ``counter`` now; returns the counter (reloaded).

    A clerk acts only at the counter they are signed in to: one signed in nowhere,
    at a free active counter, is signed in there by this act (as picking it in the
    console does). At another clerk's counter (``counter_taken``) or at a second
    counter (``not_your_counter``): Forbidden. A supervisor or admin acts anywhere
    (the caller audits it as an override); ``user`` None is the CLI or a script.
    """
    if user is None or role_at_least(user, "supervisor") or counter.clerk_id == user.id:
        return counter
    held = _held_by(user)
    if held is not None and held.id != counter.id:
        raise Forbidden(f"You are signed in at counter {held.number}: act there, or sign "
                        "out of it first.", code="not_your_counter")
    if counter.clerk_id is not None:
        raise _taken(counter)
    if not counter.active:
        raise Conflict(f"Counter {counter.number} is closed.", code="counter_closed")
    with db.atomic():
        # Lock the user (PostgreSQL) so two first calls cannot sign one clerk in twice;
        # take the counter only while it is still free.
        if not is_sqlite():
            User.select().where(User.id == user.id).for_update().execute()
        claimed = (Counter.update(clerk=user.id)
                   .where((Counter.id == counter.id) & Counter.clerk.is_null())
                   .execute())
        if not claimed or Counter.select().where(Counter.clerk == user.id).count() != 1:
            raise _taken(counter)  # rolled back: someone was quicker
    counter.clerk = user
    publish_counter("signed_in", counter)
    return counter


def act_on_ticket(ticket, user):
    """Check that ``user`` may act on ``ticket``: at its counter once called, or (a
    waiting ticket) from a counter of its office they are signed in at."""
    if user is None or role_at_least(user, "supervisor"):
        return
    if ticket.counter_id is not None:
        counter = get_counter(ticket.counter_id)
        if counter.clerk_id == user.id:
            return
        held = _held_by(user)
        if held is not None:
            raise Forbidden(f"This ticket is at counter {counter.number}; you are signed in "
                            f"at counter {held.number}.", code="not_your_counter")
        raise Forbidden(f"This ticket is at counter {counter.number}, where you are not "
                        "signed in.", code="not_your_counter")
    held = _held_by(user)
    if held is None or held.office_id != ticket.office_id:
        raise Forbidden("Sign in at a counter first (call next there, or pick it in the "
                        "console).", code="not_signed_in")


def served_on(counter, day):
    """Tickets the counter finished serving on a business day."""
    return Ticket.select().where((Ticket.counter == counter) & (Ticket.status == "done")
                                 & (Ticket.day == day)).count()
