"""The estimate's replay: waiting lines dealt to open counters in call order.

Pure: plain values in, microseconds out; ``engine.estimate`` reads them from the
database. Times are whole microseconds after the moment of the estimate (0), as
exact as the datetime arithmetic they stand for, so ties between counters break
the same way: the earliest free counter calls next, the lower counter id first.

A counter, when free, calls what ``calling.call_next`` would: the first waiting
priority ticket of its services in its order, else the head of its first service
with one it can call; a ticket (or an expected arrival) issued after the counter
is free cannot be called yet, and a counter with nothing callable idles until the
soonest head it waits for. Tickets already issued can always be called (no
counter is free before now), so long stretches of a busy day are counters taking
runs of such tickets at their pace. Those stretches are computed in one go
(``_batch``) instead of ticket by ticket, so an estimate with a thousand people
waiting costs a few dozen steps, not a thousand.
"""
from heapq import heapify, heappop, heappush

# What a line's head is: the four runs of real tickets, then expected arrivals.
PRIORITY_NOW, PRIORITY_LATER, REGULAR_NOW, REGULAR_LATER = range(4)


class Line:
    """One service's waiting tickets in call order, then its expected arrivals.

    ``priority_now`` / ``regular_now``: how many tickets issued by now; ``*_later``:
    the issue times (µs, > 0) of tickets issued after now; ``arrival``: a function
    n -> the time of the n-th expected arrival (1-based), ``expected`` of them.
    """

    __slots__ = ("ends", "later", "arrival", "length")

    def __init__(self, priority_now=0, priority_later=(), regular_now=0, regular_later=(),
                 arrival=None, expected=0):
        priority_later, regular_later = sorted(priority_later), sorted(regular_later)
        first = priority_now
        second = first + len(priority_later)
        third = second + regular_now
        real = third + len(regular_later)
        self.ends = (first, second, third, real)
        self.later = (priority_later, regular_later)
        self.arrival = arrival
        self.length = real + (expected if arrival else 0)

    def entry(self, k):
        """(kind, time) of the k-th in line; time 0 for tickets issued by now."""
        first, second, third, real = self.ends
        if k < first:
            return PRIORITY_NOW, 0
        if k < second:
            return PRIORITY_LATER, self.later[0][k - first]
        if k < third:
            return REGULAR_NOW, 0
        if k < real:
            return REGULAR_LATER, self.later[1][k - third]
        return REGULAR_LATER, self.arrival(k - real + 1)

    def run_end(self, k):
        """The end (exclusive) of the run of tickets issued by now that k is in."""
        return self.ends[0] if k < self.ends[0] else self.ends[2]


def replay(lines, counters, paces, target):
    """Microseconds until ``target`` = (service, index in its line) is called, or None
    when no open counter will reach it.

    lines: {service: Line}; counters: [(free at, counter id, (services in order))];
    paces: {service: µs a counter spends per ticket} (a mapping that may compute
    on demand).
    """
    heads = dict.fromkeys(lines, 0)
    heap = []
    for free, counter, order in counters:
        order = tuple(s for s in order if s in lines)
        if order:
            heap.append((free, counter, order))
    heapify(heap)
    while heap:
        done, value = _batch(heap, lines, heads, paces, target)
        if done:
            return value
        if value:
            continue  # the batch moved the counters on
        # A choice depends on the time: go call by call for a round of the counters.
        for _ in range(len(heap)):
            done, value = _step(heap, lines, heads, paces, target)
            if done:
                return value
            if not heap:
                break
    return None


def _step(heap, lines, heads, paces, target):
    """Let the next free counter call one ticket (or idle, or leave)."""
    free, counter, order = heappop(heap)
    best = soonest = None
    for s in order:
        h = heads[s]
        if h >= lines[s].length:
            continue
        kind, time = lines[s].entry(h)
        if time <= free:
            if kind == PRIORITY_NOW or kind == PRIORITY_LATER:
                best = s
                break
            if best is None:
                best = s
        elif soonest is None or time < soonest:
            soonest = time
    if best is None:
        if soonest is not None:  # idle until the soonest head it would call
            heappush(heap, (soonest, counter, order))
        return False, None  # else nothing left it would call: it leaves
    if (best, heads[best]) == target:
        return True, free
    heads[best] += 1
    heappush(heap, (free + paces[best], counter, order))
    return False, None


def _choice(order, kinds):
    """The service a counter calls from as long as no run ends, or None when that
    depends on the time (a head issued later, or an arrival, could win)."""
    regular = None
    timed = False
    for s in order:
        kind = kinds[s]
        if kind == PRIORITY_NOW:
            return s
        if kind == PRIORITY_LATER:
            return None
        if kind == REGULAR_NOW:
            if regular is None and not timed:
                regular = s
        elif kind == REGULAR_LATER and regular is None:
            timed = True
    return regular


def _batch(heap, lines, heads, paces, target):
    """Apply, in one go, every call made before the first run of tickets ends.

    Returns (True, µs) when the target is called in it; (False, moved?) otherwise.
    """
    kinds = {}
    for s, line in lines.items():
        h = heads[s]
        kinds[s] = line.entry(h)[0] if h < line.length else None
    groups, bound = {}, None  # bound: the first counter whose choice may change
    for free, counter, order in heap:
        s = _choice(order, kinds)
        if s is None or not paces[s]:
            if bound is None or (free, counter) < bound:
                bound = (free, counter)
        else:
            groups.setdefault(s, []).append((free, counter))
    if not groups or (bound is not None and bound <= heap[0][:2]):
        return False, False
    cut, called = None, False  # called: the cut is the target's call
    for s, group in groups.items():
        end = lines[s].run_end(heads[s])
        reaches = s == target[0] and heads[s] <= target[1] < end
        if reaches:
            end = target[1] + 1  # stop as the target is called
        last = _nth_call(group, paces[s], end - heads[s])
        if cut is None or last < cut:
            cut, called = last, reaches
    if bound is not None and bound <= cut:
        cut = (bound[0], bound[1] - 0.5)  # the calls strictly before it
    elif called:
        return True, cut[0]
    moved = {}
    for s, group in groups.items():
        pace = paces[s]
        for free, counter in group:
            n = _calls_by(free, counter, pace, cut)
            if n:
                heads[s] += n
                moved[counter] = free + n * pace
    heap[:] = [(moved.get(counter, free), counter, order) for free, counter, order in heap]
    heapify(heap)
    return False, True


def _calls_by(free, counter, pace, cut):
    """How many calls a counter free at ``free`` makes at or before ``cut`` = (time, id)."""
    time, last = cut
    if time < free:
        return 0
    n, rest = divmod(time - free, pace)
    return n + (1 if rest or counter <= last else 0)


def _nth_call(group, pace, n):
    """(time, counter) of the n-th call made by ``group`` [(free at, counter)], each
    calling one ticket per ``pace``, in (time, counter) order."""
    if len(group) == 1:
        free, counter = group[0]
        return free + (n - 1) * pace, counter
    low = min(free for free, _ in group)
    high = low + (n - 1) * pace

    def calls(t):
        return sum((t - free) // pace + 1 for free, _ in group if free <= t)

    while low < high:
        mid = (low + high) // 2
        if calls(mid) >= n:
            high = mid
        else:
            low = mid + 1
    before = calls(low - 1)
    at_low = sorted(c for free, c in group if free <= low and (low - free) % pace == 0)
    return low, at_low[n - before - 1]
