"""Admin display zones page: board URLs, add/edit/remove, validation, roles."""
import html
import re

import pytest

from queue_server.engine import calling, tickets
from queue_server.models import AuditLog, Counter, DisplayZone, Office

from .helpers import sign_in

PAGE = "/admin/offices/1/zones"


def _errors(page):
    return re.findall(r'class="field-error"[^>]*>([^<]*)<', page)


def _board_urls(page):
    """The zone board links the page offers, as paths."""
    return [html.unescape(u).replace("http://localhost", "")
            for u in re.findall(r'href="(http://localhost/display/1\?[^"]+)"', page)]


def test_page_in_vi_and_en_with_the_office_board(client):
    sign_in(client, "admin")
    vi = client.get(PAGE + "?lang=vi").get_data(as_text=True)
    for text in ("Khu vực hiển thị", "Chưa có khu vực hiển thị", "Thêm khu vực", "Tên khu vực",
                 'href="http://localhost/display/1"', '<html lang="vi">'):
        assert text in vi, text
    en = client.get(PAGE + "?lang=en").get_data(as_text=True)
    for text in ("Display zones", "New zone", "Zone name", "The office's board",
                 "This office's services: A, B, C, D", '<html lang="en">'):
        assert text in en, text
    office = client.get("/admin/offices/1?lang=en").get_data(as_text=True)
    for link in ('href="/admin/offices/1/zones"', 'href="/admin/offices/1/printers"'):
        assert link in office


def test_create_edit_and_remove_a_zone_and_its_board(client, office):
    sign_in(client, "admin")
    response = client.post(PAGE, data={"name": "Tầng 2", "services": "c, a", "counters": "2, 1"})
    assert response.status_code == 302
    zone = DisplayZone.get(DisplayZone.name == "Tầng 2")
    assert (zone.service_codes, zone.counter_numbers) == ("C,A", "2,1")
    page = client.get(PAGE + "?lang=en").get_data(as_text=True)
    board = _board_urls(page)
    assert board == ["/display/1?zone=T%E1%BA%A7ng+2"]
    # The board of the zone shows a call at counter 2 of service A, not one of service B.
    a = tickets.issue(office, "A")
    assert calling.call_next(Counter.get(Counter.number == 2).id).id == a.id
    b = tickets.issue(office, "B")
    assert calling.call_next(Counter.get(Counter.number == 1).id).id == b.id
    shown = client.get(board[0]).get_data(as_text=True)
    assert a.number in shown and b.number not in shown
    # Renamed and narrowed: the old board URL stops working, the new one works.
    edit = client.get(f"{PAGE}?zone={zone.id}&lang=en").get_data(as_text=True)
    assert "Zone Tầng 2" in edit and 'value="C, A"' in edit and 'value="2, 1"' in edit
    response = client.post(f"{PAGE}?zone={zone.id}",
                           data={"name": "Tầng 3", "services": "B", "counters": ""})
    assert response.status_code == 302
    assert DisplayZone.select().count() == 1
    assert client.get(board[0]).status_code == 404
    new_board = _board_urls(client.get(PAGE).get_data(as_text=True))
    assert new_board == ["/display/1?zone=T%E1%BA%A7ng+3"]
    assert b.number in client.get(new_board[0]).get_data(as_text=True)
    page = client.post(f"{PAGE}/remove?lang=vi", data={"row_id": zone.id},
                       follow_redirects=True).get_data(as_text=True)
    assert "Đã xoá." in page and "Chưa có khu vực hiển thị" in page
    assert client.get(new_board[0]).status_code == 404
    actions = [a.action for a in AuditLog.select().order_by(AuditLog.id)][-3:]
    assert actions == ["zone.create", "zone.update", "zone.delete"]


def test_unknown_services_counters_or_a_taken_name_write_nothing(client):
    sign_in(client, "admin")
    client.post(PAGE, data={"name": "Tầng 1", "services": "A", "counters": ""})
    audits = AuditLog.select().count()
    cases = [({"name": "Tầng 2", "services": "A, Z"}, "services", "Z"),
             ({"name": "Tầng 2", "counters": "1, 9"}, "counters", "9"),
             ({"name": "Tầng 2", "counters": "một"}, "counters", "không phải: một"),
             ({"name": "Tầng 1"}, "name", "Cơ quan đã có một khu vực khác trùng tên này."),
             ({"name": "a,b"}, "name", "không có dấu phẩy"),
             ({"name": ""}, "name", "")]
    for data, field, text in cases:
        response = client.post(PAGE + "?lang=vi", data=data)
        page = response.get_data(as_text=True)
        assert response.status_code == 400, data
        errors = _errors(page)
        assert len(errors) == 1 and text in html.unescape(errors[0]), (data, errors)
        assert f'id="{field}-err"' in page, data
    assert [z.name for z in DisplayZone.select()] == ["Tầng 1"]
    assert AuditLog.select().count() == audits


def test_another_offices_zone_is_not_found(client):
    from tests import factories

    other = factories.office("Other office")
    zone = DisplayZone.create(office=other, name="x")
    sign_in(client, "admin")
    assert client.get(f"{PAGE}?zone={zone.id}").status_code == 404
    assert client.post(f"{PAGE}/remove", data={"row_id": zone.id}).status_code == 404
    assert client.post(f"{PAGE}/remove", data={}).status_code == 400
    assert DisplayZone.get_by_id(zone.id).office_id == other.id
    assert Office.select().count() == 2


@pytest.mark.parametrize("username", ["clerk1", "supervisor"])
def test_clerks_and_supervisors_are_refused(client, username):
    DisplayZone.create(office=1, name="Tầng 1")
    sign_in(client, username)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, data={"name": "Tầng 2"}).status_code == 403
    assert client.post(f"{PAGE}/remove", data={"row_id": "1"}).status_code == 403
    assert [z.name for z in DisplayZone.select()] == ["Tầng 1"]


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/login?next=" in response.location
    assert client.post(PAGE, data={"name": "Tầng 2"}).status_code == 302
    assert DisplayZone.select().count() == 0
