"""Tickets counted by where they came from: kiosk, phone (/join), booking, staff."""
from queue_server.engine import stats
from queue_server.models import Service, Ticket

from ..views.helpers import sign_in
from . import scenario
from .scenario import DAY


def test_report_by_source_counts_each_source_apart(office, client):
    scenario.build(office)
    b = Service.get((Service.office == office) & (Service.code == "B"))
    Ticket.update(source="kiosk").execute()
    phone = (Ticket.select().where((Ticket.service == b) & (Ticket.status == "done")
                                   & Ticket.transferred_from.is_null())
             .order_by(Ticket.id).get())
    Ticket.update(source="phone").where(Ticket.id == phone.id).execute()
    data = stats.report(office, DAY, DAY, "source")
    assert [r["key"] for r in data["rows"]] == ["kiosk", "phone"]
    by = {r["key"]: r for r in data["rows"]}
    assert (by["phone"]["issued"], by["phone"]["served"]) == (1, 1)
    assert by["phone"]["wait_max_s"] == phone.wait_s
    assert by["kiosk"]["issued"] + 1 == data["overall"]["issued"]
    assert by["kiosk"]["served"] + 1 == data["overall"]["served"]
    # The report page names them in its language.
    sign_in(client, "supervisor")
    html = client.get(f"/supervisor/reports?from={DAY}&to={DAY}&group=source&lang=vi"
                      ).get_data(as_text=True)
    assert "Điện thoại (/join)" in html and "Máy lấy số" in html
