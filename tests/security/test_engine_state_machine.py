"""Random sequences of engine operations keep the queue's invariants.

hypothesis drives issue, call, recall, start, finish, no-show, transfer, cancel,
pause and resume across four counters on a fresh SQLite file per run, and after
every step checks what a clerk or a citizen would notice if it broke: one
ticket per counter, one counter per ticket, statuses that agree with the event
history, and numbers unique per service and day.
"""
import shutil
from collections import Counter as Tally

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from queue_server.db import db, open_database
from queue_server.engine import calling, corrections, counters, tickets
from queue_server.errors import QueueError
from queue_server.models import Counter, Office, Ticket, TicketEvent

pytestmark = pytest.mark.sqlite_only
CODES = ("A", "B", "C", "D")
ACTIVE = ("called", "serving")


class QueueMachine(RuleBasedStateMachine):
    template = None  # the seeded demo database, set by the test
    folder = None
    runs = 0
    outcomes = Tally()  # what the runs did, to show they did something

    def __init__(self):
        super().__init__()
        QueueMachine.runs += 1
        path = QueueMachine.folder / f"run{QueueMachine.runs}.db"
        shutil.copyfile(QueueMachine.template, path)
        if db.obj is not None and not db.is_closed():
            db.close()
        open_database(f"sqlite:///{path}")
        db.connect(reuse_if_open=True)
        self.office = Office.get()
        self.counters = [c.id for c in Counter.select().order_by(Counter.number)]
        self.issued = []

    def teardown(self):
        db.close()

    def _try(self, action, *args):
        try:
            result = action(*args)
        except QueueError as exc:
            QueueMachine.outcomes["refused"] += 1
            QueueMachine.outcomes["refused:" + exc.code] += 1
            return None
        QueueMachine.outcomes[action.__name__] += 1
        return result  # a refused step must change nothing: the invariants check it

    tickets_ = st.integers(min_value=0, max_value=40)
    counter_ix = st.integers(min_value=0, max_value=3)

    def _ticket_id(self, index):
        return self.issued[index % len(self.issued)] if self.issued else 10 ** 6

    @initialize(codes=st.lists(st.sampled_from(CODES), min_size=2, max_size=8))
    def morning_queue(self, codes):
        assert Ticket.select().count() == 0
        for code in codes:
            self.issue(code, False)

    @rule(code=st.sampled_from(CODES), priority=st.booleans())
    def issue(self, code, priority):
        ticket = tickets.issue(self.office, code, priority=priority)
        self.issued.append(ticket.id)

    @rule(counter=counter_ix)
    def call_next(self, counter):
        self._try(calling.call_next, self.counters[counter])

    def _pick(self, index, action, aimed):
        """A ticket the action allows (when ``aimed``), else any ticket: mostly refusals."""
        if aimed:
            allowed = [t.id for t in Ticket.select(Ticket.id).where(
                Ticket.status.in_(tickets.TRANSITIONS[action][0])).order_by(Ticket.id)]
            if allowed:
                return allowed[index % len(allowed)]
        return self._ticket_id(index)

    @rule(index=tickets_, aimed=st.booleans(), action=st.sampled_from(
        [tickets.recall, tickets.start, tickets.finish, tickets.no_show, tickets.cancel,
         corrections.release, corrections.undo_no_show]))
    def transition(self, index, aimed, action):
        self._try(action, self._pick(index, action.__name__, aimed))

    @rule(index=tickets_, aimed=st.booleans(), code=st.sampled_from(CODES))
    def transfer(self, index, aimed, code):
        new = self._try(tickets.transfer, self._pick(index, "transfer", aimed), code)
        if new is not None:
            self.issued.append(new.id)

    @rule(counter=counter_ix, index=tickets_)
    def call_chosen(self, counter, index):
        self._try(calling.call_ticket, self.counters[counter], self._pick(index, "cancel", True))

    @rule(counter=counter_ix, paused=st.booleans())
    def pause_or_resume(self, counter, paused):
        self._try(counters.pause if paused else counters.resume, self.counters[counter])

    @invariant()
    def one_ticket_per_counter_and_one_counter_per_ticket(self):
        active = list(Ticket.select().where(Ticket.status.in_(ACTIVE)))
        assert all(t.counter_id is not None for t in active)
        per_counter = Tally(t.counter_id for t in active)
        assert all(n == 1 for n in per_counter.values()), per_counter

    @invariant()
    def statuses_agree_with_the_events(self):
        events = {}
        for event in TicketEvent.select().order_by(TicketEvent.id):
            events.setdefault(event.ticket_id, []).append(event)
        for ticket in Ticket.select():
            history = events.get(ticket.id, [])
            assert history, f"ticket {ticket.number} has no events"
            state = None
            for event in history:  # replaying the events yields the ticket's status
                assert event.from_status == state, (ticket.number, event.kind)
                state = event.to_status
            assert state == ticket.status, (ticket.number, state, ticket.status)

    @invariant()
    def numbers_unique_per_service_and_day(self):
        originals = Ticket.select().where(Ticket.transferred_from.is_null())
        keys = Tally((t.service_id, t.day, t.number) for t in originals)
        assert all(n == 1 for n in keys.values()), keys.most_common(3)


def test_random_operation_sequences_keep_the_invariants(app, seeded_db_file, tmp_path):
    QueueMachine.template, QueueMachine.folder = seeded_db_file, tmp_path
    run = settings(max_examples=40, stateful_step_count=40, derandomize=True, deadline=None,
                   database=None, suppress_health_check=list(HealthCheck))(QueueMachine)
    run.TestCase().runTest()
    done = QueueMachine.outcomes
    assert QueueMachine.runs >= 40 and done["refused"] > 0, done
    assert all(done[name] > 0 for name in ("call_next", "start", "finish", "transfer")), done
