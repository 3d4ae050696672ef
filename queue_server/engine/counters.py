"""Counters: lookup, pause and resume, who is signed in."""
from ..db import db
from ..errors import Conflict
from ..models import Counter, CounterService, Service, Ticket
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
    """Record that ``user`` works at the counter now."""
    with db.atomic():
        counter = get_counter(counter_id)
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


def served_on(counter, day):
    """Tickets the counter finished serving on a business day."""
    return Ticket.select().where((Ticket.counter == counter) & (Ticket.status == "done")
                                 & (Ticket.day == day)).count()
