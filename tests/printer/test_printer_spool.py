"""The spooler with an in-memory deliver function: retries, order, idempotence, stop."""
import threading

import pytest

from printer.spool import PrintJob, Spooler


class Recorder:
    """deliver() that fails the first ``failures`` calls per job, and on_result that records."""

    def __init__(self, failures=0):
        self.failures, self.sent, self.results, self.calls = failures, [], [], {}

    def deliver(self, job):
        self.calls[job.job_id] = self.calls.get(job.job_id, 0) + 1
        if self.calls[job.job_id] <= self.failures:
            raise ConnectionRefusedError("printer off")
        self.sent.append(job.job_id)

    def on_result(self, job_id, ok, error, attempt):
        self.results.append((job_id, ok, error, attempt))


@pytest.fixture
def spooler_for():
    spoolers = []

    def make(recorder, **kwargs):
        kwargs.setdefault("backoff", (0.001,))
        spooler = Spooler(recorder.deliver, recorder.on_result, **kwargs)
        spoolers.append(spooler)
        return spooler

    yield make
    for spooler in spoolers:
        spooler.stop()


def test_delivers_in_submission_order(spooler_for):
    rec = Recorder()
    spooler = spooler_for(rec)
    for n in range(20):
        spooler.submit(PrintJob(n, b"x"))
    assert spooler.drain(5)
    assert rec.sent == list(range(20))
    assert [(j, ok, a) for j, ok, _, a in rec.results] == [(n, True, 1) for n in range(20)]


def test_retries_with_progress_then_success(spooler_for):
    rec = Recorder(failures=2)
    spooler = spooler_for(rec, retries=5)
    spooler.submit(PrintJob("a", b"x"))
    assert spooler.drain(5)
    assert rec.results == [("a", False, "ConnectionRefusedError: printer off", 1),
                           ("a", False, "ConnectionRefusedError: printer off", 2),
                           ("a", True, None, 3)]
    assert rec.sent == ["a"]


def test_gives_up_after_max_attempts(spooler_for):
    rec = Recorder(failures=99)
    spooler = spooler_for(rec, retries=3)
    spooler.submit(PrintJob("a", b"x"))
    spooler.submit(PrintJob("b", b"x"))
    assert spooler.drain(5)
    assert [(j, ok, a) for j, ok, _, a in rec.results] == [
        ("a", False, 1), ("a", False, 2), ("a", False, 3), ("a", False, 4),
        ("b", False, 1), ("b", False, 2), ("b", False, 3), ("b", False, 4)]
    assert spooler.max_attempts == 4


def test_same_id_while_pending_is_sent_once_but_can_be_reprinted_later(spooler_for):
    gate = threading.Event()
    rec = Recorder()
    spooler = Spooler(lambda job: (gate.wait(5), rec.deliver(job)), rec.on_result, backoff=(0.001,))
    try:
        assert spooler.submit(PrintJob("a", b"x"))
        assert not spooler.submit(PrintJob("a", b"x"))
        gate.set()
        assert spooler.drain(5)
        assert rec.sent == ["a"]
        assert spooler.submit(PrintJob("a", b"x"))  # done: a reprint is a new delivery
        assert spooler.drain(5)
        assert rec.sent == ["a", "a"]
    finally:
        spooler.stop()


def test_stop_cuts_backoff_short_and_returns_undelivered(spooler_for):
    rec = Recorder(failures=99)
    spooler = spooler_for(rec, retries=5, backoff=(30,))
    spooler.submit(PrintJob("a", b"x"))
    spooler.submit(PrintJob("b", b"x"))
    while not rec.results:  # first attempt has failed; the spooler now sleeps 30 s
        threading.Event().wait(0.001)
    left = spooler.stop(timeout=2)
    assert left == ["a", "b"]
    assert rec.results == [("a", False, "ConnectionRefusedError: printer off", 1)]
    with pytest.raises(RuntimeError):
        spooler.submit(PrintJob("c", b"x"))


def test_a_failing_on_result_does_not_stop_printing(spooler_for):
    rec = Recorder()

    def bad_on_result(*args):
        raise ValueError("db down")

    spooler = Spooler(rec.deliver, bad_on_result, backoff=(0.001,))
    try:
        spooler.submit(PrintJob(1, b"x"))
        spooler.submit(PrintJob(2, b"x"))
        assert spooler.drain(5)
        assert rec.sent == [1, 2]
    finally:
        spooler.stop()
