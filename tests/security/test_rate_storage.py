"""The in-memory rate-limit storage under concurrent hits (``queue_server.rate_limits``)."""
import sys
import threading
import time

from limits.storage import MemoryStorage, storage_from_string

from queue_server.rate_limits import MemoryRateStorage


class SlowTimer(threading.Timer):
    def __init__(self, *args, **kwargs):
        time.sleep(0.005)  # both threads are past the "has it run out?" check meanwhile
        super().__init__(*args, **kwargs)


def widened(storage_class, scheme):
    """``storage_class`` with the race window held open: a thread that stores a new
    timer pauses before it starts "the" timer, so another thread's store comes first."""
    class Widened(storage_class):
        STORAGE_SCHEME = [scheme]

        @property
        def timer(self):
            return self.__dict__["timer"]

        @timer.setter
        def timer(self, value):
            self.__dict__["timer"] = value
            time.sleep(0.005)
    return Widened


def simultaneous_hits(storage, threads=4):
    """Hits from several threads at the same moment, once the expiry timer has run
    out; every error those threads (or the timers) raised."""
    time.sleep(0.05)  # the start-up timer has run out
    problems, barrier = [], threading.Barrier(threads)

    def hit():
        barrier.wait()
        storage.incr("kiosk", 60)
    old_thread_hook, old_unraisable = threading.excepthook, sys.unraisablehook
    threading.excepthook = lambda args: problems.append(repr(args.exc_value))
    sys.unraisablehook = lambda args: problems.append(repr(args.exc_value))
    try:
        workers = [threading.Thread(target=hit) for _ in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        time.sleep(0.05)
    finally:
        threading.excepthook, sys.unraisablehook = old_thread_hook, old_unraisable
    return problems


def test_simultaneous_hits_all_count_and_start_one_timer(monkeypatch):
    monkeypatch.setattr(threading, "Timer", SlowTimer)
    storage = widened(MemoryRateStorage, "test-widened-ours")()
    assert simultaneous_hits(storage) == []
    assert storage.get("kiosk") == 4


def test_limits_own_storage_starts_one_timer_twice_there(monkeypatch):
    # What the storage above fixes, shown on limits' own class with the same window.
    monkeypatch.setattr(threading, "Timer", SlowTimer)
    problems = simultaneous_hits(widened(MemoryStorage, "test-widened-upstream")())
    assert any("threads can only be started once" in p or "KeyError" in p for p in problems)


def test_the_default_storage_is_ours(app):
    assert app.config["RATELIMIT_STORAGE_URI"] == "queue-memory://"
    assert isinstance(storage_from_string(app.config["RATELIMIT_STORAGE_URI"]),
                      MemoryRateStorage)
