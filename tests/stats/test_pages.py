"""Supervisor pages, downloads, the JSON API and the public page, as users see them."""
import csv
import io

import pytest
from openpyxl import load_workbook

from queue_server.models import Office

from . import scenario

RANGE = "from=2024-03-04&to=2024-03-04"


def login(client, username):
    response = client.post("/login", data={"username": username, "password": "demo"})
    assert response.status_code == 302, response.data[:300]


@pytest.fixture
def day(office):
    return scenario.build(office)


def test_reports_page_and_downloads_match_the_json(client, day, auth_header):
    login(client, "supervisor")
    page = client.get(f"/supervisor/reports?{RANGE}&group=counter&lang=en")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<svg" in html and "Staffing advice" in html and "<script>" not in html
    api = client.get(f"/api/v1/stats/report?{RANGE}&group=counter",
                     headers=auth_header("supervisor")).json
    book = load_workbook(io.BytesIO(client.get(f"/supervisor/reports.xlsx?{RANGE}&group=counter")
                                    .data))
    sheet = [list(r) for r in book.active.iter_rows(values_only=True)]
    assert sheet[0][:4] == ["Counter", "Issued", "Served", "No-show"]
    assert len(sheet) == 1 + len(api["rows"]) + 1
    for line, row in zip(sheet[1:], api["rows"] + [dict(api["overall"], label="All")]):
        assert line[0] == row["label"]
        assert line[1:15] == [row[k] for k in (
            "issued", "served", "no_show", "cancelled", "transferred", "expired", "wait_avg_s",
            "wait_p50_s", "wait_p90_s", "wait_max_s", "service_avg_s", "service_p50_s",
            "service_p90_s", "service_level")]
        assert line[15:19] == [row["ratings"][s] for s in "1234"]
        assert line[19] == row["satisfaction_score"]
    text = client.get(f"/supervisor/reports.csv?{RANGE}&group=counter").data.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[1][1:3] == [str(api["rows"][0]["issued"]), str(api["rows"][0]["served"])]


def test_downloads_have_vietnamese_headers_in_vietnamese(client, day):
    login(client, "supervisor")
    text = client.get(f"/supervisor/reports.csv?{RANGE}&lang=vi").data.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    assert header[:3] == ["Dịch vụ", "Đã cấp số", "Đã phục vụ"]


def test_pages_need_a_supervisor(client, app):
    anonymous = client.get("/supervisor")
    assert anonymous.status_code in (302, 401)  # a page sends strangers to the sign-in
    assert anonymous.status_code == 401 or "/login" in anonymous.headers["Location"]
    login(client, "clerk1")
    assert client.get("/supervisor/reports").status_code == 403


def test_api_report_rejects_bad_input(client, auth_header, app):
    headers = auth_header("supervisor")
    assert client.get(f"/api/v1/stats/report?{RANGE}&group=colour",
                      headers=headers).json["error"]["code"] == "invalid_input"
    assert client.get("/api/v1/stats/report?from=x&to=y", headers=headers).status_code == 400
    staffing = client.get("/api/v1/stats/staffing?to=2024-03-04", headers=headers)
    assert staffing.status_code == 200 and "hours" in staffing.json


def test_public_page_only_when_switched_on_and_no_clerks(client, office, day):
    Office.update(public_stats=False).where(Office.id == office.id).execute()  # demo: on
    assert client.get(f"/public/{office.id}").status_code == 404
    assert client.get("/public/999").status_code == 404
    Office.update(public_stats=True).where(Office.id == office.id).execute()
    page = client.get(f"/public/{office.id}?lang=en")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "This month" in html and "Today" in html
    for secret in ("clerk1", "clerk2", "A001", "Quầy"):
        assert secret not in html
