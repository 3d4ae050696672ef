"""Opening hours: the weekly table with its lunch break, dated closures, the last ticket,
and services no counter serves (engine/hours.py, engine/availability.py)."""
import json
from datetime import date, datetime, time, timedelta

import pytest

from queue_server.engine import admin, availability, hours, hours_admin, tickets
from queue_server.errors import Conflict, InvalidInput
from queue_server.models import Closure, Counter, Office, Service, Ticket

from .. import factories

WEEK = {"mon": [["07:30", "11:30"], ["13:30", "17:00"]],
        "tue": [["07:30", "11:30"], ["13:30", "17:00"]],
        "fri": [["07:30", "11:30"], ["13:30", "17:00"]]}
MONDAY = date(2026, 11, 30)


def utc(day, hh, mm=0):
    """Local (UTC+7) ``hh:mm`` of ``day`` as the naive UTC the engine takes."""
    return datetime(day.year, day.month, day.day, hh, mm) - timedelta(hours=7)


@pytest.fixture
def week(office):
    office.opening_hours = json.dumps(WEEK)
    office.save()
    return office


def test_open_periods_of_the_weekly_table_and_of_a_closure(week):
    assert hours.open_periods(week, MONDAY) == [(time(7, 30), time(11, 30)),
                                                (time(13, 30), time(17, 0))]
    assert hours.open_periods(week, date(2026, 12, 2)) == []  # Wednesday: not in the table
    Closure.create(office=week, day=MONDAY, reason_vi="Nghỉ lễ")
    assert hours.open_periods(week, MONDAY) == []


def test_an_office_without_a_table_is_open_all_day_but_not_on_a_closure(office):
    assert hours.open_periods(office, MONDAY) == [hours.WHOLE_DAY]
    assert hours.is_open(office, utc(MONDAY, 23, 59))
    Closure.create(office=office, day=MONDAY)
    assert not hours.is_open(office, utc(MONDAY, 12))
    assert hours.next_opening(office, utc(MONDAY, 12)) == utc(date(2026, 12, 1), 0)


@pytest.mark.parametrize("at,reopens", [
    (utc(MONDAY, 12, 0), utc(MONDAY, 13, 30)),           # the lunch break
    (utc(MONDAY, 6, 0), utc(MONDAY, 7, 30)),             # before opening
    (utc(MONDAY, 17, 0), utc(date(2026, 12, 1), 7, 30)),  # closing time: tomorrow
    (utc(date(2026, 12, 1), 18), utc(date(2026, 12, 4), 7, 30)),  # Tuesday night: Friday
    (utc(MONDAY, 9, 0), utc(MONDAY, 9, 0)),              # open now: now
])
def test_is_open_and_next_opening(week, at, reopens):
    assert hours.is_open(week, at) == (at == reopens)
    assert hours.next_opening(week, at) == reopens


def test_next_opening_skips_closures(week):
    Closure.create(office=week, day=date(2026, 12, 1))  # Tuesday closed
    assert hours.next_opening(week, utc(MONDAY, 18)) == utc(date(2026, 12, 4), 7, 30)


def test_a_table_that_never_opens_has_no_next_opening(office):
    office.opening_hours = json.dumps({"mon": []})
    assert hours.next_opening(office, utc(MONDAY, 9)) is None


def test_closing_and_open_time_left_skip_the_lunch_break(week):
    assert hours.closing_at(week, utc(MONDAY, 10)) == utc(MONDAY, 11, 30)
    assert hours.closing_at(week, utc(MONDAY, 12)) is None
    assert hours.open_seconds_left(week, utc(MONDAY, 11)) == (30 + 210) * 60
    assert hours.day_close(week, utc(MONDAY, 8)) == utc(MONDAY, 17)


def test_the_lunch_break_is_told_apart_from_the_evening(week):
    lunch = availability.office_state(week, utc(MONDAY, 12))
    evening = availability.office_state(week, utc(MONDAY, 18))
    assert (lunch["reason"], lunch["reopens_at"]) == ("break", utc(MONDAY, 13, 30))
    assert (evening["reason"], evening["reopens_at"]) == ("closed", utc(date(2026, 12, 1), 7, 30))
    morning = availability.office_state(week, utc(MONDAY, 9))
    assert (morning["issuing"], morning["closes_at"]) == (True, utc(MONDAY, 11, 30))


def test_no_ticket_in_the_lunch_break_and_the_refusal_says_when_it_reopens(week):
    assert tickets.issue(week, "A", at=utc(MONDAY, 11, 29)).number == "A001"
    with pytest.raises(Conflict) as refused:
        tickets.issue(week, "A", at=utc(MONDAY, 12, 15))
    assert refused.value.code == "office_closed"
    assert refused.value.params["reopens_at"] == utc(MONDAY, 13, 30)
    assert tickets.issue(week, "A", at=utc(MONDAY, 13, 30)).number == "A002"


def test_no_ticket_on_a_holiday(week):
    hours_admin.add_closures(week, MONDAY, reason_vi="Giỗ Tổ", reason_en="Hung Kings")
    with pytest.raises(Conflict) as refused:
        tickets.issue(week, "A", at=utc(MONDAY, 9))
    assert refused.value.code == "office_closed"
    assert refused.value.params["closure"].reason_en == "Hung Kings"
    assert Ticket.select().count() == 0


def test_the_last_ticket_at_a_set_time(week):
    hours_admin.save_hours(week, days=hours_admin.hours_of(week)["days"],
                           last_ticket={"rule": "time", "time": "16:30"})
    assert tickets.issue(week, "A", at=utc(MONDAY, 16, 29)).number == "A001"
    with pytest.raises(Conflict) as refused:
        tickets.issue(week, "A", at=utc(MONDAY, 16, 30))
    assert refused.value.code == "last_ticket_passed"
    assert refused.value.params["reopens_at"] == utc(date(2026, 12, 1), 7, 30)
    state = availability.office_state(week, utc(MONDAY, 16, 45))
    assert (state["open"], state["issuing"], state["reason"]) == (True, False, "last_ticket")


def test_the_last_ticket_when_the_estimate_runs_past_closing(week):
    week.last_ticket_rule = "estimate"
    week.save()
    at = utc(MONDAY, 16, 50)  # ten minutes of opening left
    issued, refused = [], None
    for _ in range(60):
        try:
            issued.append(tickets.issue(week, "C", at=at))
        except Conflict as exc:
            refused = exc
            break
    assert refused is not None and refused.code == "wait_past_closing"
    assert refused.params["wait_s"] > 600 and refused.params["closes_at"] == utc(MONDAY, 17)
    assert all(t.estimated_wait_s <= 600 for t in issued)
    # Refused inside the issuing transaction: no ticket, no number used up.
    assert Ticket.select().count() == len(issued)
    # The kiosk says it before anyone asks: C's wait now runs past closing, D's not.
    from queue_server.engine import offices
    state = availability.office_state(week, at)
    board = [dict(row, estimated_wait_s=(1200 if row["service"].code == "C" else 60))
             for row in offices.service_board(week)]
    assert [s.code for s in availability.past_closing(state, board)] == ["C"]
    week.last_ticket_rule = ""
    week.save()
    assert availability.past_closing(availability.office_state(week, at), board) == []
    assert tickets.issue(week, "C", at=at).sequence == len(issued) + 1


def test_a_service_no_counter_serves_is_refused_and_not_on_the_board(office):
    service = admin.save_service(office, code="E", name_vi="Tư pháp", prefix="E")
    with pytest.raises(Conflict) as refused:
        tickets.issue(office, "E")
    assert (refused.value.code, refused.value.status) == ("service_not_served", 409)
    assert [s.code for s in availability.unserved(office)] == ["E"]
    from queue_server.engine.offices import service_board
    assert "E" not in [row["service"].code for row in service_board(office)]
    counter = factories.demo_counter(3)
    admin.save_service(office, service, code="E", name_vi="Tư pháp", prefix="E",
                       counters=[counter])
    assert tickets.issue(office, "E").number == "E001"
    # A counter that is deactivated serves nothing any more.
    Counter.update(active=False).where(Counter.id == counter.id).execute()
    with pytest.raises(Conflict):
        tickets.issue(office, "E")


def test_counters_of_a_service_keep_each_counters_order(office):
    from queue_server.engine.counters import services_of
    a = Service.get(Service.code == "A")
    one, four = factories.demo_counter(1), factories.demo_counter(4)
    admin.save_service(office, a, code="A", name_vi=a.name_vi, prefix="A",
                       counters=[four, one])
    assert [s.code for s in services_of(one)] == ["A", "B"]  # kept its place
    assert [s.code for s in services_of(four)] == ["D", "C", "A"]  # after its own
    admin.save_service(office, a, code="A", name_vi=a.name_vi, prefix="A", counters=[four])
    assert [s.code for s in services_of(one)] == ["B"]


def test_save_hours_round_trip_and_refusals(office):
    days = {"mon": {"open": "07:30", "close": "17:00",
                    "break": {"start": "11:30", "end": "13:30"}},
            "sat": {"open": "07:30", "close": "11:30", "break": None}}
    saved = hours_admin.save_hours(office, days=days, last_ticket={"rule": "estimate"})
    assert saved["days"]["mon"] == days["mon"] and saved["days"]["sat"] == days["sat"]
    assert saved["days"]["sun"] is None and saved["always_open"] is False
    assert json.loads(Office.get_by_id(office.id).opening_hours) == {
        "mon": [["07:30", "11:30"], ["13:30", "17:00"]], "sat": [["07:30", "11:30"]]}
    cases = [({"mon": {"open": "7h30", "close": "17:00"}}, InvalidInput, "bad_time", "open"),
             ({"mon": {"open": "07:30", "close": "17:00", "break": {"start": "11:30"}}},
              InvalidInput, "break_incomplete", "break_end"),
             ({"mon": {"open": "07:30", "close": "17:00",
                       "break": {"start": "18:00", "end": "19:00"}}}, Conflict, "bad_order",
              "close"),
             ({}, Conflict, "never_open", None)]
    for bad, kind, code, field in cases:
        with pytest.raises(kind) as refused:
            hours_admin.save_hours(office, days=bad)
        assert refused.value.code == code and refused.value.params.get("field") == field
    assert hours_admin.hours_of(Office.get_by_id(office.id))["days"]["mon"] == days["mon"]
    assert hours_admin.save_hours(office, always_open=True)["always_open"] is True


def test_closures_add_a_run_of_days_once(office):
    rows = hours_admin.add_closures(office, date(2027, 2, 5), date(2027, 2, 11),
                                    reason_vi="Tết Nguyên đán")
    assert [r.day.day for r in rows] == [5, 6, 7, 8, 9, 10, 11]
    with pytest.raises(Conflict) as refused:
        hours_admin.add_closures(office, date(2027, 2, 1), date(2027, 2, 5))
    assert refused.value.code == "closure_exists"
    assert Closure.select().count() == 7  # nothing of the refused run was written
    hours_admin.remove_closure(office, rows[0].id)
    assert [c.day.day for c in hours_admin.closures(office)] == [6, 7, 8, 9, 10, 11]


def test_the_migration_keeps_legacy_tables(office):
    import importlib
    migration = importlib.import_module("queue_server.migrations.0014_opening_hours")
    assert migration.normalise('{"tue": [["13:30", "17:00"], ["07:30", "11:30"]]}') == \
        '{"tue":[["07:30","11:30"],["13:30","17:00"]]}'
    assert json.loads(migration.normalise(
        '{"mon": [["07:00", "09:00"], ["10:00", "11:00"], ["13:00", "17:00"]]}')) == \
        {"mon": [["07:00", "09:00"], ["10:00", "17:00"]]}
    assert migration.normalise("") == "" and migration.normalise("{") is None
