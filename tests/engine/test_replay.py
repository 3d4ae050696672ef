"""The estimate's replay, computed run by run, equals calling ticket by ticket."""
import random
from heapq import heapify, heappop, heappush

import pytest

from queue_server.engine.replay import PRIORITY_LATER, PRIORITY_NOW, Line, replay

S = 1_000_000  # µs per second


def one_by_one(lines, counters, paces, target):
    """The plain replay: every free counter calls one ticket at a time."""
    queues = {s: [line.entry(k) for k in range(line.length)] for s, line in lines.items()}
    heads = dict.fromkeys(queues, 0)
    heap = list(counters)
    heapify(heap)
    while heap:
        free, counter, order = heappop(heap)
        pending = [(queues[s][heads[s]], position, s) for position, s in enumerate(order)
                   if s in queues and heads[s] < len(queues[s])]
        if not pending:
            continue
        choices = [(kind not in (PRIORITY_NOW, PRIORITY_LATER), position, s)
                   for (kind, time), position, s in pending if time <= free]
        if not choices:
            heappush(heap, (min(entry[1] for entry, _, _ in pending), counter, order))
            continue
        service = min(choices)[2]
        if (service, heads[service]) == target:
            return free
        heads[service] += 1
        heappush(heap, (free + paces[service], counter, order))
    return None


def random_office(rng, deep):
    services = list(range(1, rng.randint(1, 4) + 1))
    lines = {}
    for s in services:
        if rng.random() < 0.15:
            continue  # nobody waiting, nothing expected
        gap = rng.choice([None, 60 * S, 137 * S, rng.randint(1, 900) * S + rng.randint(0, S)])
        lines[s] = Line(
            priority_now=rng.choice([0, 0, 1, 3]),
            priority_later=[rng.randint(1, 3600) * S for _ in range(rng.choice([0, 0, 2]))],
            regular_now=rng.randint(0, 600 if deep else 12),
            regular_later=[rng.choice([1, 300, rng.randint(1, 7200)]) * S
                           for _ in range(rng.choice([0, 0, 0, 3]))],
            arrival=(lambda n, gap=gap: gap * n) if gap else None,
            expected=rng.randint(0, 40))
    counters = []
    for counter in range(1, rng.randint(1, 6) + 1):
        order = rng.sample(services, rng.randint(1, len(services)))
        free = rng.choice([0, 0, 30 * S, rng.randint(0, 900) * S, rng.randint(0, 900 * S)])
        counters.append((free, counter, tuple(order)))
    paces = {s: rng.choice([300 * S, 300 * S, 120 * S, rng.randint(1, 900 * S), 0])
             for s in services}
    return lines, counters, paces


@pytest.mark.parametrize("seed", range(400))
def test_runs_equal_one_by_one(seed):
    rng = random.Random(seed)
    lines, counters, paces = random_office(rng, deep=seed % 2 == 0)
    for _ in range(6):
        if not lines:
            break
        s = rng.choice(list(lines))
        target = (s, rng.randrange(lines[s].length)) if lines[s].length else (s, 0)
        assert replay(lines, counters, paces, target) == \
            one_by_one(lines, counters, paces, target), (seed, target)


def test_a_deep_line_costs_a_few_steps():
    # 2 counters share A then B, 2 serve B only: 4,000 waiting, and the replay
    # reaches the last one with a handful of batches (the plain one takes 4,000 steps).
    lines = {1: Line(regular_now=2000), 2: Line(regular_now=2000)}
    counters = [(0, 1, (1, 2)), (30 * S, 2, (1, 2)), (0, 3, (2,)), (45 * S, 4, (2,))]
    paces = {1: 300 * S, 2: 200 * S}
    calls = []

    class Counting(dict):
        def __getitem__(self, s):
            calls.append(s)
            return super().__getitem__(s)

    last = replay(lines, counters, Counting(paces), (2, 1999))
    assert last == one_by_one(lines, counters, paces, (2, 1999))
    assert len(calls) < 100
