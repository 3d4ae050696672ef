"""The supervisor's alerts (engine/alerts.py): each kind raised by the situation the
issue describes, and gone once it is put right."""
from datetime import timedelta

from queue_server.engine import alerts, calling, corrections, counters, tickets
from queue_server.models import Counter, CounterService, PrintJob, Service, utcnow

from ..factories import demo_counter, demo_user


def found(office, at=None, **kw):
    return {(a["kind"], a.get("service") or a.get("number") or a.get("printer"))
            for a in alerts.for_office(office, at, **kw)}


def test_a_ticket_called_eight_minutes_ago_and_not_started(office):
    now = utcnow()
    counters.sign_in(demo_counter(3).id, demo_user("clerk3"))
    ticket = tickets.issue(office, "C", at=now - timedelta(minutes=9))
    calling.call_next(demo_counter(3).id, at=now - timedelta(minutes=8))
    [alert] = [a for a in alerts.for_office(office, now) if a["kind"] == "called_not_started"]
    assert (alert["number"], alert["counter"], alert["value"]) == (ticket.number, 3, 480)
    assert alert["since"].startswith((now - timedelta(minutes=8)).isoformat()[:16])
    assert not [a for a in alerts.for_office(office, now, called_after_s=600)
                if a["kind"] == "called_not_started"]  # N minutes is configurable
    tickets.start(ticket.id, at=now)
    assert ("called_not_started", ticket.number) not in found(office, now)


def test_a_counter_closed_holding_a_ticket_until_it_is_released(office):
    clerk = demo_user("clerk3")
    counters.sign_in(demo_counter(3).id, clerk)
    ticket = tickets.issue(office, "C")
    calling.call_next(demo_counter(3).id, user=clerk)
    # The stranding of issue 16, as an admin or an old client can still cause it.
    Counter.update(clerk=None).where(Counter.id == demo_counter(3).id).execute()
    [alert] = [a for a in alerts.for_office(office) if a["kind"] == "counter_closed_with_ticket"]
    assert (alert["number"], alert["counter"], alert["state"]) == (ticket.number, 3,
                                                                   "signed_out")
    corrections.release(ticket.id)
    assert not [a for a in alerts.for_office(office) if a["kind"] == "counter_closed_with_ticket"]


def test_sixty_waiting_with_no_open_counter(office):
    now = utcnow()
    for minute in range(60):
        tickets.issue(office, "D", at=now - timedelta(minutes=60 - minute))
    kinds = found(office, now)
    assert {("unserved_waiting", "D"), ("wait_over_target", "D"),
            ("queue_length", "D")} <= kinds
    [unserved] = [a for a in alerts.for_office(office, now) if a["kind"] == "unserved_waiting"]
    assert unserved["value"] == 60 and unserved["assigned"] is True
    counters.sign_in(demo_counter(4).id, demo_user("clerk4"))  # counter 4 serves D
    assert ("unserved_waiting", "D") not in found(office, now)


def test_a_service_no_counter_serves(office):
    new = Service.create(office=office, code="E", prefix="E", name_vi="Dịch vụ mới")
    assert [s.code for s in alerts.unserved_services(office)] == ["E"]
    # A service no counter serves issues nothing (409 service_not_served): the
    # citizens who wait for it took their tickets before the admin took it off the
    # last counter.
    link = CounterService.create(counter=demo_counter(1), service=new, position=5)
    tickets.issue(office, "E")
    link.delete_instance()
    [alert] = [a for a in alerts.for_office(office) if a["kind"] == "unserved_waiting"]
    assert (alert["service"], alert["assigned"]) == ("E", False)
    CounterService.create(counter=demo_counter(1), service=new, position=5)
    assert alerts.unserved_services(office) == []


def test_a_printer_whose_last_job_failed(office):
    ticket = tickets.issue(office, "A")
    job = PrintJob.create(ticket=ticket, url="tcp://10.0.0.9:9100", status="failed",
                          attempts=5, last_error="connection refused")
    [alert] = [a for a in alerts.for_office(office) if a["kind"] == "printer_problem"]
    assert (alert["printer"], alert["state"], alert["error"]) == (
        "tcp://10.0.0.9:9100", "failed", "connection refused")
    PrintJob.create(ticket=ticket, url=job.url, status="printed")
    assert not [a for a in alerts.for_office(office) if a["kind"] == "printer_problem"]


def test_yesterdays_failed_print_is_not_todays_alert(office):
    # The alert reads the day's print jobs only: a year of jobs is not read once a
    # second, and the day's first ticket tells the printer's state.
    now = utcnow()
    old = tickets.issue(office, "A", at=now - timedelta(days=1))
    PrintJob.create(ticket=old, url="tcp://10.0.0.9:9100", status="failed", attempts=5)
    assert not [a for a in alerts.for_office(office, now) if a["kind"] == "printer_problem"]


def test_many_offices_at_once_give_each_office_its_own_alerts(office, monkeypatch):
    from queue_server.db import db

    from .. import factories

    now = utcnow()
    tickets.issue(office, "D", at=now - timedelta(hours=1))  # D: waiting past target
    others = []
    for n in range(3):
        other = factories.office(name=f"Ward {n}")
        factories.service(other, "A", target_wait_min=10)
        factories.counter(other, 1, services=[Service.get(office=other)])
        for minute in range(n + 1):
            tickets.issue(other, "A", at=now - timedelta(minutes=30 + minute))
        others.append(other)
    one = {o.id: alerts.for_office(o, now) for o in [office, *others]}
    statements = []
    real = db.obj.execute_sql

    def counting(sql, *args, **kw):
        statements.append(sql)
        return real(sql, *args, **kw)

    monkeypatch.setattr(db.obj, "execute_sql", counting)
    together = alerts.for_offices([office, *others], now)
    asked_for_four = len(statements)
    statements.clear()
    alerts.for_offices([office], now)
    asked_for_one = len(statements)
    assert together == one
    assert [a["value"] for a in together[others[2].id] if a["kind"] == "unserved_waiting"] == [3]
    assert asked_for_four == asked_for_one  # the same queries, not one set per office
