"""Regions with offices and days of tickets, built through the engine with explicit times."""
import random
from datetime import date, datetime, timedelta

from queue_server.engine import audit, calling, ratings, regions, tickets
from queue_server.models import Counter, Office, Service

from tests import factories

DAYS = (date(2024, 3, 4), date(2024, 3, 5), date(2024, 3, 6))


def local(day, seconds):
    """``seconds`` after 07:30 local (UTC+7) on ``day``, as naive UTC."""
    return datetime(day.year, day.month, day.day, 0, 30) + timedelta(seconds=seconds)


def new_office(name, region=None, public=False, services=("A", "B"), counters=2):
    """An office with services (targets 5 and 10 min) and counters serving them all."""
    office = factories.office(name, public_stats=public)
    made = [factories.service(office, code, target_wait_min=5 * (i + 1))
            for i, code in enumerate(services)]
    for number in range(1, counters + 1):
        factories.counter(office, number, made)
    if region is not None:
        Office.update(region=region).where(Office.id == office.id).execute()
    return Office.get_by_id(office.id)


def region(name, parent=None):
    audit.acting(None)  # built by the test, not by the last request's user
    return regions.save_region(name=name, parent=parent)


def busy_day(office, day, n=40, seed=1, clerk=None):
    """``n`` tickets on ``day``, each served to its end at once at the next counter:
    varied waits and service times, no-shows, cancellations, ratings, one expiry."""
    rnd = random.Random(seed)
    counters = list(Counter.select().where(Counter.office == office).order_by(Counter.number))
    codes = [s.code for s in Service.select().where(Service.office == office).order_by(
        Service.code)]
    free = [0] * len(counters)
    clock = 0
    for i in range(n):
        clock += rnd.randrange(20, 240)
        t = tickets.issue(office, rnd.choice(codes), at=local(day, clock))
        if rnd.random() < 0.08:
            tickets.cancel(t.id, at=local(day, clock + 5))
            continue
        k = i % len(counters)
        call = max(clock, free[k]) + rnd.randrange(2, 900)
        called = calling.call_next(counters[k].id, user=clerk, at=local(day, call))
        if called is None:  # this counter serves none of the waiting tickets' services
            continue
        if rnd.random() < 0.1:
            tickets.no_show(called.id, at=local(day, call + 60))
            free[k] = call + 60
            continue
        tickets.start(called.id, at=local(day, call + 10))
        free[k] = call + 10 + rnd.randrange(60, 900)
        tickets.finish(called.id, at=local(day, free[k]))
        if rnd.random() < 0.5:
            ratings.rate(counters[k].id, called.id, rnd.randrange(1, 5),
                         "Chờ hơi lâu" if rnd.random() < 0.3 else "", at=local(day, free[k] + 5))
    left = tickets.issue(office, codes[0], at=local(day, clock + 30))
    tickets.expire_before(office, day + timedelta(days=1), at=local(day + timedelta(days=1), 0))
    return left
