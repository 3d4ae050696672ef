"""Every figure of every grouping on the hand-worked day of ``scenario``."""
import pytest

from queue_server.engine import stats

from . import scenario
from .scenario import DAY, NEXT_DAY

NONE_RATED = {"ratings": {"1": 0, "2": 0, "3": 0, "4": 0}, "satisfaction_score": None,
              "satisfied_share": None}


@pytest.fixture
def day(office):
    return scenario.build(office)


def row(data, key):
    return next(r for r in data["rows"] if r["key"] == key)


def test_by_service(office, day):
    data = stats.report(office, DAY, DAY, "service")
    assert [r["key"] for r in data["rows"]] == ["A", "B", "C", "D"]
    assert row(data, "A") | {} == {
        "key": "A", "label": "Hộ tịch",
        "issued": 5, "served": 1, "no_show": 1, "cancelled": 1, "transferred": 1, "expired": 1,
        "wait_avg_s": 280.0, "wait_p50_s": 300, "wait_p90_s": 480, "wait_max_s": 480,
        "service_avg_s": 300.0, "service_p50_s": 300, "service_p90_s": 300,
        "service_level": 0.75,  # A1, A2, A4 within 15 min; A5 expired uncalled
        "ratings": {"1": 0, "2": 1, "3": 0, "4": 0}, "satisfaction_score": 2.0,
        "satisfied_share": 0.0}
    assert row(data, "B") == {
        "key": "B", "label": "Chứng thực",
        "issued": 2, "served": 3, "no_show": 0, "cancelled": 0, "transferred": 0, "expired": 0,
        "wait_avg_s": 680.0, "wait_p50_s": 600, "wait_p90_s": 1200, "wait_max_s": 1200,
        "service_avg_s": 340.0, "service_p50_s": 300, "service_p90_s": 600,
        "service_level": 0.6667,  # B1 240 s and A4>B 600 s within 10 min, B2 1200 s not
        "ratings": {"1": 0, "2": 0, "3": 1, "4": 1}, "satisfaction_score": 3.5,
        "satisfied_share": 1.0}
    assert row(data, "C")["issued"] == 0 and row(data, "C")["wait_avg_s"] is None
    assert data["overall"] == {
        "issued": 7, "served": 4, "no_show": 1, "cancelled": 1, "transferred": 1, "expired": 1,
        "wait_avg_s": 480.0, "wait_p50_s": 300, "wait_p90_s": 1200, "wait_max_s": 1200,
        "service_avg_s": 330.0, "service_p50_s": 300, "service_p90_s": 600,
        "service_level": 0.7143,
        "ratings": {"1": 0, "2": 1, "3": 1, "4": 1}, "satisfaction_score": 3.0,
        "satisfied_share": 0.6667}


def test_by_counter_and_clerk(office, day):
    data = stats.report(office, DAY, DAY, "counter")
    assert [r["key"] for r in data["rows"]] == [1, 2]
    c1, c2 = data["rows"]
    assert (c1["issued"], c1["served"], c1["transferred"], c1["no_show"]) == (3, 2, 1, 0)
    assert (c1["wait_avg_s"], c1["wait_p50_s"], c1["wait_p90_s"], c1["wait_max_s"]) == (
        520.0, 300, 1200, 1200)
    assert (c1["service_avg_s"], c1["service_p50_s"], c1["service_p90_s"]) == (450.0, 300, 600)
    assert c1["service_level"] == 0.6667
    assert (c1["ratings"], c1["satisfaction_score"], c1["satisfied_share"]) == (
        {"1": 0, "2": 1, "3": 0, "4": 1}, 3.0, 0.5)
    assert (c2["issued"], c2["served"], c2["no_show"], c2["transferred"]) == (2, 2, 1, 0)
    assert (c2["wait_avg_s"], c2["wait_p50_s"], c2["wait_p90_s"], c2["wait_max_s"]) == (
        440.0, 480, 600, 600)
    assert (c2["service_avg_s"], c2["service_p50_s"], c2["service_p90_s"]) == (210.0, 120, 300)
    assert c2["service_level"] == 1.0
    assert (c2["satisfaction_score"], c2["satisfied_share"]) == (3.0, 1.0)

    clerks = stats.report(office, DAY, DAY, "clerk")
    assert [r["key"] for r in clerks["rows"]] == ["clerk1", "clerk2"]
    for by_clerk, by_counter in zip(clerks["rows"], data["rows"]):
        assert {k: v for k, v in by_clerk.items() if k not in ("key", "label")} == {
            k: v for k, v in by_counter.items() if k not in ("key", "label")}


def test_by_local_hour(office, day):
    data = stats.report(office, DAY, DAY, "hour")
    assert [(r["key"], r["label"]) for r in data["rows"]] == [
        (8, "08:00–09:00"), (9, "09:00–10:00"), (23, "23:00–00:00")]
    h8, h9, h23 = data["rows"]
    assert (h8["issued"], h8["served"], h8["no_show"], h8["cancelled"]) == (4, 2, 1, 1)
    assert (h8["wait_avg_s"], h8["wait_p50_s"], h8["wait_p90_s"], h8["wait_max_s"]) == (
        340.0, 300, 480, 480)
    assert (h8["service_avg_s"], h8["service_p50_s"], h8["service_p90_s"]) == (210.0, 120, 300)
    assert (h8["service_level"], h8["satisfaction_score"], h8["satisfied_share"]) == (
        1.0, 2.5, 0.5)
    assert (h9["issued"], h9["served"], h9["transferred"]) == (2, 2, 1)
    assert (h9["wait_avg_s"], h9["wait_p50_s"], h9["wait_p90_s"]) == (620.0, 600, 1200)
    assert (h9["service_avg_s"], h9["service_p90_s"], h9["service_level"]) == (450.0, 600, 0.6667)
    assert (h23["issued"], h23["expired"], h23["wait_avg_s"], h23["service_level"]) == (
        1, 1, None, 0.0)
    assert {k: h23[k] for k in NONE_RATED} == NONE_RATED


def test_ticket_at_2359_local_counts_for_that_day(office, day):
    data = stats.report(office, DAY, NEXT_DAY, "day")
    assert [(r["key"], r["issued"]) for r in data["rows"]] == [
        ("2024-03-04", 7), ("2024-03-05", 1)]
    only_day = stats.report(office, DAY, DAY, "service")
    assert row(only_day, "A")["issued"] == 5  # A5, issued 23:59 local (16:59 UTC)
    assert row(only_day, "C")["issued"] == 0  # C1, 00:01 local next day (still 3/4 in UTC)


def test_day_rows_rank_like_the_histograms(office, day):
    by_day = stats.report(office, DAY, DAY, "day")
    by_service = stats.report(office, DAY, DAY, "service")
    assert len(by_day["rows"]) == 1
    figures = {k: v for k, v in by_day["rows"][0].items() if k not in ("key", "label")}
    assert figures == by_service["overall"] == by_day["overall"]


def test_summary_keeps_its_contract(office, day, client, auth_header):
    response = client.get("/api/v1/stats/summary?from=2024-03-04&to=2024-03-04",
                          headers=auth_header("supervisor"))
    assert response.status_code == 200
    body = response.json
    assert body["overall"]["issued"] == 7 and body["overall"]["wait_p90_s"] == 1200
    assert [s["service"] for s in body["services"]] == ["A", "B", "C", "D"]
    assert body["services"][3]["wait_avg_s"] is None
