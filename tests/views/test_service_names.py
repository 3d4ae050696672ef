"""Staff pages name services in the page's language: the English name on English pages
(where the service has one), the Vietnamese name on Vietnamese pages, files included."""
import csv
import io
import re

import pytest
from openpyxl import load_workbook

from queue_server.engine import tickets
from queue_server.engine.clock import business_day
from queue_server.models import Office, Service

from tests.regions.helpers import region

from .helpers import sign_in


@pytest.fixture
def busy(office):
    """Tickets today for services A and B (the comparison lists services with tickets)."""
    for code in ("A", "A", "B"):
        tickets.issue(office, code)
    return office


def _rows(text):
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("lang,shown,hidden", [("en", "Civil status", "Hộ tịch"),
                                               ("vi", "Hộ tịch", "Civil status")])
def test_report_names_services_in_the_page_language(client, busy, lang, shown, hidden):
    sign_in(client, "supervisor")
    html = client.get(f"/supervisor/reports?preset=today&lang={lang}").get_data(as_text=True)
    assert f'<th scope="row">{shown}</th>' in html
    assert hidden not in html


def test_report_files_in_english_carry_english_names(client, busy):
    sign_in(client, "supervisor")
    text = client.get("/supervisor/reports.csv?preset=today&lang=en").data.decode("utf-8-sig")
    assert [line[0] for line in _rows(text)[1:5]] == [
        "Civil status", "Certification", "Land and construction", "Labour and social affairs"]
    book = load_workbook(io.BytesIO(client.get("/supervisor/reports.xlsx?preset=today&lang=vi")
                                    .data))
    assert [r[0] for r in book.active.iter_rows(min_row=2, max_row=3, values_only=True)] == [
        "Hộ tịch", "Chứng thực"]


def test_a_service_without_an_english_name_keeps_its_vietnamese_one(client, busy):
    Service.update(name_en="").where(Service.code == "B").execute()
    sign_in(client, "supervisor")
    html = client.get("/supervisor/reports?preset=today&lang=en").get_data(as_text=True)
    assert '<th scope="row">Chứng thực</th>' in html
    assert "B – Chứng thực" in client.get("/supervisor?lang=en").get_data(as_text=True)


@pytest.mark.parametrize("lang,shown,hidden", [("en", "A – Civil status", "Hộ tịch"),
                                               ("vi", "A – Hộ tịch", "Civil status")])
def test_dashboard_names_services_in_the_page_language(client, busy, lang, shown, hidden):
    sign_in(client, "supervisor")
    html = client.get(f"/supervisor?lang={lang}").get_data(as_text=True)
    assert shown in html
    assert hidden not in html


@pytest.fixture
def compared(busy):
    province = region("Tỉnh Bắc Giang")
    Office.update(region=province).where(Office.id == busy.id).execute()
    return province


@pytest.mark.parametrize("lang,shown,hidden", [("en", "A Civil status", "Hộ tịch"),
                                               ("vi", "A Hộ tịch", "Civil status")])
def test_region_comparison_names_services_in_the_page_language(client, compared, lang, shown,
                                                                hidden):
    sign_in(client, "admin")
    html = client.get(f"/region/{compared.id}/comparison?lang={lang}").get_data(as_text=True)
    assert f'<th scope="row">{shown}</th>' in html
    assert hidden not in html


def test_region_comparison_file_in_english_carries_english_names(client, compared):
    sign_in(client, "admin")
    text = client.get(f"/region/{compared.id}/comparison.csv?table=services&lang=en") \
        .data.decode("utf-8-sig")
    assert [line[:2] for line in _rows(text)[1:]] == [["A", "Civil status"],
                                                      ["B", "Certification"]]


def test_the_comparison_api_keeps_its_name_and_adds_the_english_one(client, compared,
                                                                    auth_header):
    today = business_day(Office.get()).isoformat()
    body = client.get(f"/api/v1/regions/{compared.id}/comparison?from={today}&to={today}",
                      headers=auth_header("admin")).json
    first = body["services"][0]
    assert (first["code"], first["name"], first["name_en"]) == ("A", "Hộ tịch", "Civil status")


def test_a_long_service_name_wraps_in_the_charts_instead_of_being_cut(client, busy):
    sign_in(client, "supervisor")
    html = client.get("/supervisor/reports?preset=today&lang=vi").get_data(as_text=True)
    labels = re.findall(r'<text x="0"[^>]*class="chart-label">(.*?)</text>', html, re.S)
    assert labels and not any("…" in label for label in labels)
    shown = [re.sub(r"<title>.*?</title>|<[^>]+>", " ", label).split() for label in labels]
    assert "Lao động – Thương binh – Xã hội".split() in shown
