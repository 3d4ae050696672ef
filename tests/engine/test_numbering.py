"""Ticket numbers: format, local-midnight restart, uniqueness under concurrency."""
import multiprocessing
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from queue_server.db import db
from queue_server.engine import tickets
from queue_server.engine.numbering import format_number
from queue_server.models import ServiceDaySequence, Ticket

from . import workers


def test_format_pads_to_three_and_never_wraps():
    assert format_number("A", 1) == "A001"
    assert format_number("A", 23) == "A023"
    assert format_number("A", 999) == "A999"
    assert format_number("A", 1000) == "A1000"


def test_numbers_run_per_service(app, office):
    numbers = [tickets.issue(office, code).number for code in "AABAB"]
    assert numbers == ["A001", "A002", "B001", "A003", "B002"]


def test_after_999_comes_1000(app, office):
    a = tickets.issue(office, "A")
    ServiceDaySequence.update(last_seq=998).where(ServiceDaySequence.day == a.day).execute()
    assert [tickets.issue(office, "A").number for _ in range(2)] == ["A999", "A1000"]


def test_restarts_at_local_midnight_not_utc(app, office):
    # Asia/Ho_Chi_Minh is UTC+7: local midnight of 2026-03-02 is 17:00 UTC on 03-01.
    before = tickets.issue(office, "A", at=datetime(2026, 3, 1, 16, 59, 59))
    second = tickets.issue(office, "A", at=datetime(2026, 3, 1, 16, 59, 59, 500000))
    after = tickets.issue(office, "A", at=datetime(2026, 3, 1, 17, 0, 0))
    utc_midnight = tickets.issue(office, "A", at=datetime(2026, 3, 2, 0, 0, 1))
    assert (before.day.isoformat(), before.number) == ("2026-03-01", "A001")
    assert second.number == "A002"
    assert (after.day.isoformat(), after.number) == ("2026-03-02", "A001")
    # UTC midnight is 07:00 local: the same business day goes on
    assert (utc_midnight.day.isoformat(), utc_midnight.number) == ("2026-03-02", "A002")


def test_issued_2359_local_counts_for_that_day(app, office):
    ticket = tickets.issue(office, "B", at=datetime(2026, 5, 10, 16, 59))  # 23:59 local
    assert ticket.day.isoformat() == "2026-05-10"


def _numbers_are_gap_free(numbers):
    seqs = sorted(int(n[1:]) for n in numbers)
    return seqs == list(range(1, len(seqs) + 1))


def test_eight_threads_issue_unique_gap_free_numbers(app, db_url):

    def worker(_):
        with db.connection_context():
            from queue_server.models import Office
            office = Office.get()
            return [tickets.issue(office, "A").number for _ in range(40)]

    with ThreadPoolExecutor(8) as pool:
        numbers = [n for batch in pool.map(worker, range(8)) for n in batch]
    assert len(numbers) == 320
    assert len(set(numbers)) == 320
    assert _numbers_are_gap_free(numbers)


def test_four_processes_issue_unique_gap_free_numbers(app, db_url):
    db.close()
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(4) as pool:
        batches = pool.starmap(workers.issue_many, [(db_url, 60)] * 4)
    numbers = [n for batch in batches for n in batch]
    assert len(numbers) == 240
    assert len(set(numbers)) == 240
    assert _numbers_are_gap_free(numbers)
    db.connect(reuse_if_open=True)
    assert Ticket.select().count() == 240
