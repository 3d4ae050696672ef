"""Auditing a server's database from outside: what survived, and does it add up.

Plain DB-API reads (sqlite3 or psycopg2), so the audit trusts nothing the server
says about itself. Shared by the reliability tests and ``bench/load_test.py``.
"""
import sqlite3
from collections import Counter, defaultdict, namedtuple

# The statuses a ticket may reach once it was called, started or finished.
AFTER_CALL = {"called", "serving", "done", "no_show", "transferred", "expired"}
AFTER_START = {"serving", "done", "transferred"}
Row = namedtuple("Row", "id number status service_id day sequence called_at "
                        "transferred_from_id counter_id")


def connect(db_url):
    """A DB-API connection to ``sqlite:///path`` or ``postgresql://...``."""
    if db_url.startswith("sqlite:///"):
        return sqlite3.connect(db_url[len("sqlite:///"):], timeout=30)
    import psycopg2

    conn = psycopg2.connect(db_url)
    conn.autocommit = True
    return conn


def fetch(conn, sql):
    cur = conn.cursor()
    cur.execute(sql)
    result = cur.fetchall()
    cur.close()
    return result


class Snapshot:
    """Every ticket and ticket event, read in one go."""

    def __init__(self, db_url):
        conn = connect(db_url)
        try:
            self.tickets = {row[0]: Row(*row) for row in fetch(
                conn, f"SELECT {', '.join(Row._fields)} FROM ticket")}
            self.events = defaultdict(list)
            for ticket_id, kind, before, after in fetch(
                    conn, "SELECT ticket_id, kind, from_status, to_status FROM ticket_event "
                          "ORDER BY id"):
                self.events[ticket_id].append((kind, before, after))
        finally:
            conn.close()

    def numbers(self):
        """{ticket id: number}."""
        return {tid: row.number for tid, row in self.tickets.items()}

    def missing(self, issued):
        """Of ``issued`` ({id: number} answered 201), those absent or renumbered."""
        return {tid: number for tid, number in issued.items()
                if tid not in self.tickets or self.tickets[tid].number != number}

    def numbering_errors(self):
        """Duplicate numbers and gaps per (service, day); transfers keep their number."""
        errors = []
        per_day = defaultdict(list)
        for row in self.tickets.values():
            if row.transferred_from_id is None:
                per_day[(row.service_id, str(row.day))].append((row.sequence, row.number))
        for key, rows in per_day.items():
            seqs = Counter(seq for seq, _ in rows)
            dupes = sorted(seq for seq, n in seqs.items() if n > 1)
            if dupes:
                errors.append(f"service {key}: sequence issued twice: {dupes[:10]}")
            gaps = sorted(set(range(1, max(seqs) + 1)) - set(seqs))
            if gaps:
                errors.append(f"service {key}: numbers skipped: {gaps[:10]}")
        return errors

    def replay_errors(self):
        """Tickets whose event log does not lead, step by step, to their status."""
        errors = []
        for tid, row in self.tickets.items():
            events, state = self.events.get(tid, []), None
            for kind, before, after in events:
                if before != state:
                    errors.append(f"ticket {tid}: {kind} from {before!r} but it was {state!r}")
                state = after
            if state != row.status:
                errors.append(f"ticket {tid}: events end at {state!r}, status is {row.status!r}")
        return errors

    def called_twice(self):
        """Tickets with more than one 'called' event (recalls are a different kind)."""
        return [tid for tid, events in self.events.items()
                if sum(kind == "called" for kind, _, _ in events) > 1]

    def regressions(self, called=(), started=(), finished=()):
        """Tickets acknowledged as called/started/finished that fell back since."""
        wrong = {}
        for ids, allowed in ((called, AFTER_CALL), (started, AFTER_START), (finished, {"done"})):
            for tid in ids:
                status = self.tickets[tid].status if tid in self.tickets else None
                if status not in allowed:
                    wrong[tid] = status
        return wrong

    def errors(self, issued, called=(), started=(), finished=()):
        """Every audit finding as text; empty when all is well."""
        found = [f"lost or renumbered after 201: {sorted(self.missing(issued).items())[:10]}"] \
            if self.missing(issued) else []
        found += self.numbering_errors() + self.replay_errors()[:20]
        if self.called_twice():
            found.append(f"called twice: {self.called_twice()[:10]}")
        regressed = self.regressions(called, started, finished)
        if regressed:
            found.append(f"acknowledged transitions undone: {sorted(regressed.items())[:10]}")
        return found
