"""The region overview shows each office's dashboard figures, offices needing attention
first, and the public regional page only what publishing offices show."""
from datetime import datetime, timedelta

import pytest

from queue_server.engine import calling, counters, regions, tickets
from queue_server.engine.stats import live
from queue_server.models import Counter, Office, User



def test_each_row_is_that_office_dashboard(app, regions_world):
    region, at = regions_world
    overview = regions.overview(region, at=at, alert_length=3)
    rows = {r["office"]: r for r in overview["offices"]}
    for office in regions.offices_of(region):
        snap = live.snapshot(office, at=at, alert_length=3)
        row = rows[office.id]
        assert row["waiting"] == sum(s["waiting"] for s in snap["services"])
        assert row["longest_wait_s"] == max([s["longest_wait_s"] for s in snap["services"]]
                                            + [0])
        assert row["served"] == snap["today"]["served"]
        assert row["service_level"] == snap["today"]["service_level"]
        assert row["alerts"] == len(snap["alerts"])
        assert row["open_counters"] == sum(c["state"] == "open" for c in snap["counters"])
    # Most alerts first, then the longest wait.
    assert [r["name"] for r in overview["offices"]] == ["UBND thị trấn Neo",
                                                        "UBND phường Dĩnh Kế", "UBND xã Kín"]
    # Past target, more than 3 waiting, and no open counter serves them (the
    # supervisor's alerts, rolled up).
    assert overview["offices"][0]["alerts"] == 3


def test_the_overview_changes_as_tickets_come(app, regions_world):
    region, at = regions_world
    before = {r["office"]: r["waiting"] for r in regions.overview(region, at=at)["offices"]}
    demo = Office.get(Office.name == "UBND phường Dĩnh Kế")
    tickets.issue(demo, "B", at=at)
    after = {r["office"]: r["waiting"] for r in regions.overview(region, at=at)["offices"]}
    assert after[demo.id] == before[demo.id] + 1
    assert {k: v for k, v in after.items() if k != demo.id} == \
        {k: v for k, v in before.items() if k != demo.id}


def test_public_regional_page_shows_publishing_offices_only(client, regions_world):
    region, _ = regions_world
    page = client.get(f"/public/region/{region.id}?lang=en").get_data(as_text=True)
    assert "UBND phường Dĩnh Kế" in page and "UBND thị trấn Neo" in page
    assert "UBND xã Kín" not in page  # it does not publish its figures
    assert "Quầy" not in page and "clerk" not in page  # nothing about counters or clerks
    assert client.get("/public/region/999").status_code == 404


def test_the_public_regional_page_is_not_worked_out_for_every_visit(client, regions_world,
                                                                     monkeypatch):
    from queue_server.engine.stats import public_region
    from queue_server.views import regional

    region, _ = regions_world
    made = []
    real = public_region.figures
    monkeypatch.setattr(public_region, "figures", lambda r: made.append(r.id) or real(r))
    pages = [client.get(f"/public/region/{region.id}").get_data(as_text=True)
             for _ in range(5)]
    assert made == [region.id] and len(set(pages)) == 1
    monkeypatch.setattr(regional, "PUBLIC_FRESH_S", -1)  # past its 20 s
    tickets.issue(Office.get(Office.name == "UBND phường Dĩnh Kế"), "B")
    assert client.get(f"/public/region/{region.id}").get_data(as_text=True) != pages[0]
    assert made == [region.id, region.id]



@pytest.fixture
def regions_world(app, regions):
    """Today (local 10:00) in the province: Neo has 5 waiting, one for 40 min; the demo
    office 2 waiting and one served; Kín nobody."""
    now = datetime.utcnow()
    today = now + timedelta(hours=7)
    at = datetime(today.year, today.month, today.day, 3, 0)  # 10:00 local
    neo = regions["offices"]["town"]
    for minutes in (40, 10, 8, 5, 1):
        tickets.issue(neo, "A", at=at - timedelta(minutes=minutes))
    demo = regions["offices"]["demo"]
    clerk = User.get(User.username == "clerk1")
    counter = Counter.get((Counter.office == demo) & (Counter.number == 1))
    counters.sign_in(counter.id, clerk)
    first = tickets.issue(demo, "A", at=at - timedelta(minutes=30))
    calling.call_next(counter.id, user=clerk, at=at - timedelta(minutes=25))
    tickets.start(first.id, at=at - timedelta(minutes=24))
    tickets.finish(first.id, at=at - timedelta(minutes=20))
    tickets.issue(demo, "A", at=at - timedelta(minutes=12))
    tickets.issue(demo, "B", at=at - timedelta(minutes=3))
    return regions["province"], at
