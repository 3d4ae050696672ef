"""The region's comparison shows the office reports' figures, computed once
(docs/statistics.md): the same numbers for the same range, on SQLite and PostgreSQL."""
import csv
import io
from datetime import timedelta

import pytest

from queue_server.engine import comparison, regions, stats
from queue_server.models import Office, Service, Ticket

from tests.regions import helpers
from tests.regions.helpers import DAYS

FIGURES = ("issued", "served", "no_show", "wait_avg_s", "wait_p50_s", "wait_p90_s",
           "service_level", "service_avg_s", "service_p90_s", "satisfaction_score")


@pytest.fixture
def busy_region(app, regions):
    offices = [regions["offices"][n] for n in ("demo", "town", "hidden")]
    for i, office in enumerate(offices):
        for j, day in enumerate(DAYS):
            helpers.busy_day(office, day, n=25 + 10 * i, seed=10 * i + j)
    return regions


@pytest.mark.parametrize("first,last", [(DAYS[0], DAYS[-1]), (DAYS[1], DAYS[1]),
                                        (DAYS[0] - timedelta(days=9), DAYS[0])])
def test_each_office_row_is_the_office_report_overall(busy_region, first, last):
    region = busy_region["province"]
    data = comparison.comparison(regions.offices_of(region), first, last, region)
    assert len(data["offices"]) == 3
    for row in data["offices"]:
        office = Office.get_by_id(row["office"])
        report = stats.report(office, first, last, "service")["overall"]
        assert report["issued"] > 0
        assert {k: row[k] for k in FIGURES} == {k: report[k] for k in FIGURES}, office.name
        assert row["rated"] == sum(report["ratings"].values())
        assert row["no_show_share"] == round(report["no_show"] / report["issued"], 4)


def nearest_rank(values, p):
    values = sorted(values)
    return values[max(1, -(-p * len(values) // 100)) - 1] if values else None


def test_each_service_row_covers_that_service_of_every_office(busy_region):
    region = busy_region["province"]
    data = comparison.comparison(regions.offices_of(region), DAYS[0], DAYS[-1], region)
    ids = [o.id for o in regions.offices_of(region)]
    assert [r["code"] for r in data["services"]] == ["A", "B", "C", "D"]
    for row in data["services"]:
        services = Service.select(Service.id).where(Service.office.in_(ids)
                                                    & (Service.code == row["code"]))
        tickets = list(Ticket.select().where(Ticket.service.in_(services)
                                             & Ticket.day.between(DAYS[0], DAYS[-1])))
        waits = [t.wait_s for t in tickets if t.wait_s is not None]
        assert row["offices"] == len(services)
        assert row["issued"] == sum(1 for t in tickets if t.transferred_from_id is None)
        assert row["served"] == sum(1 for t in tickets if t.status == "done")
        assert row["wait_p90_s"] == nearest_rank(waits, 90)
        assert row["wait_avg_s"] == (round(sum(waits) / len(waits), 1) if waits else None)
        per_office = [stats.report(Office.get_by_id(i), DAYS[0], DAYS[-1])
                      for i in ids]
        assert row["no_show"] == sum(r["no_show"] for rep in per_office for r in rep["rows"]
                                     if r["key"] == row["code"])


def test_the_api_and_the_downloads_carry_the_same_figures(client, busy_region, auth_header):
    region = busy_region["province"].id
    query = f"from={DAYS[0]}&to={DAYS[-1]}"
    api = client.get(f"/api/v1/regions/{region}/comparison?{query}",
                     headers=auth_header("province_user")).json
    demo = next(r for r in api["offices"] if r["office"] == 1)
    report = client.get(f"/api/v1/stats/report?office=1&{query}",
                        headers=auth_header("supervisor")).json["overall"]
    assert (demo["wait_avg_s"], demo["wait_p90_s"], demo["service_level"]) == (
        report["wait_avg_s"], report["wait_p90_s"], report["service_level"])
    from tests.views.helpers import sign_in
    sign_in(client, "province_user")
    body = client.get(f"/region/{region}/comparison.csv?{query}&lang=en").data.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(body)))
    assert lines[0][:3] == ["Office", "Issued", "Served"]
    by_name = {line[0]: line for line in lines[1:]}
    assert by_name["UBND phường Dĩnh Kế"][1:4] == [str(demo["issued"]), str(demo["served"]),
                                                   str(demo["wait_avg_s"])]
    xlsx = client.get(f"/region/{region}/comparison.xlsx?{query}")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    from openpyxl import load_workbook
    book = load_workbook(io.BytesIO(xlsx.data))
    assert len(book.worksheets) == 2  # offices, services
    values = {row[0]: row for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert values["UBND phường Dĩnh Kế"][3] == demo["wait_avg_s"]
    page = client.get(f"/region/{region}/comparison?{query}&lang=en").get_data(as_text=True)
    assert "UBND thị trấn Neo" in page and "<svg" in page
