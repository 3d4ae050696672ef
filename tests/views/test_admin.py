"""Admin screens: CRUD through forms, validation, deactivate-instead-of-delete, CSRF, roles."""
import re

from queue_server import create_app
from queue_server.db import db
from queue_server.models import Counter, Office, Service, User

from .helpers import sign_in, take_ticket

OFFICE = {"name": "UBND xã Tân Tiến", "timezone": "Asia/Ho_Chi_Minh", "default_language": "vi",
          "notice": "", "display_key": "",
          "kiosk_key": "", "printer_url": "tcp://127.0.0.1:9100", "public_stats": "y"}


def test_office_create_edit_and_validation(client):
    sign_in(client, "admin")
    response = client.post("/admin/offices/new", data=OFFICE)
    assert response.status_code == 302
    office = Office.get(Office.name == OFFICE["name"])
    assert office.public_stats and office.printer_url == "tcp://127.0.0.1:9100"
    bad = client.post(f"/admin/offices/{office.id}", data={**OFFICE, "timezone": "Mars/Base"})
    assert bad.status_code == 200 and "Mars/Base" in bad.get_data(as_text=True)
    assert Office.get_by_id(office.id).timezone == "Asia/Ho_Chi_Minh"
    # Opening hours have their own page (tests/views/test_admin_hours.py): no JSON here.
    page = client.get(f"/admin/offices/{office.id}").get_data(as_text=True)
    assert "opening_hours" not in page and f"/admin/offices/{office.id}/hours" in page
    client.post(f"/admin/offices/{office.id}/new-key/display")
    assert len(Office.get_by_id(office.id).display_key) > 20


def test_service_crud_deactivates_when_tickets_refer(client, office):
    sign_in(client, "admin")
    form = {"code": "E", "name_vi": "Tư pháp", "name_en": "Justice", "prefix": "E",
            "target_wait_min": "20", "daily_cap": "", "active": "y"}
    assert client.post(f"/admin/offices/{office.id}/services/new", data=form).status_code == 302
    service = Service.get(Service.code == "E")
    dup = client.post(f"/admin/offices/{office.id}/services/new", data=form)
    assert "“E” đã được dùng" in dup.get_data(as_text=True)  # in the page's language
    client.post(f"/admin/services/{service.id}", data={**form, "name_vi": "Tư pháp – Hộ tịch"})
    assert Service.get_by_id(service.id).name_vi == "Tư pháp – Hộ tịch"
    # Unused: deleted for real.
    client.post(f"/admin/services/{service.id}/remove")
    assert Service.get_or_none(Service.code == "E") is None
    # Used by a ticket: deactivated, and the kiosk no longer offers it.
    take_ticket(client, "B")
    b = Service.get(Service.code == "B")
    page = client.post(f"/admin/services/{b.id}/remove", follow_redirects=True)
    assert "ngừng hoạt động thay vì xoá" in page.get_data(as_text=True)
    assert not Service.get_by_id(b.id).active
    assert 'value="B"' not in client.get("/kiosk/1").get_data(as_text=True)


def test_counter_services_in_order_and_deactivate(client, office):
    sign_in(client, "admin")
    form = {"number": "9", "name": "Quầy 9", "services": "c, a", "active": "y"}
    assert client.post(f"/admin/offices/{office.id}/counters/new", data=form).status_code == 302
    counter = Counter.get(Counter.number == 9)
    from queue_server.engine.counters import services_of
    assert [s.code for s in services_of(counter)] == ["C", "A"]
    bad = client.post(f"/admin/counters/{counter.id}", data={**form, "services": "Z"})
    assert "Z" in bad.get_data(as_text=True)
    assert client.post(f"/admin/counters/{counter.id}/remove").status_code == 302
    assert Counter.get_or_none(Counter.number == 9) is None
    take_ticket(client, "A")
    client.post("/logout")
    sign_in(client, "clerk1", counter=1)
    client.post("/counter/call-next")
    client.post("/logout")
    sign_in(client, "admin")
    one = Counter.get(Counter.number == 1)
    client.post(f"/admin/counters/{one.id}/remove")
    assert Counter.get_by_id(one.id).active is False


def test_users_create_reset_deactivate(client, office):
    sign_in(client, "admin")
    form = {"username": "clerk9", "full_name": "Nguyễn Văn A", "role": "clerk",
            "office_id": str(office.id), "active": "y", "password": "short"}
    weak = client.post("/admin/users/new", data=form)
    assert "Mật khẩu cần ít nhất 8 ký tự." in weak.get_data(as_text=True)
    client.post("/admin/users/new", data={**form, "password": "longenough1"})
    user = User.get(User.username == "clerk9")
    assert user.office_id == office.id and user.full_name == "Nguyễn Văn A"
    client.post(f"/admin/users/{user.id}/password", data={"password": "evenlonger22"})
    client.post(f"/admin/users/{user.id}", data={**form, "role": "supervisor"})
    assert User.get_by_id(user.id).role == "supervisor"
    client.post(f"/admin/users/{user.id}/remove")
    assert User.get_or_none(User.username == "clerk9") is None  # never used: deleted
    # A clerk who served tickets is deactivated instead, and can no longer sign in.
    clerk1 = User.get(User.username == "clerk1")
    client.post("/logout")
    take_ticket(client, "A")
    sign_in(client, "clerk1", counter=1)
    client.post("/counter/call-next")
    client.post("/logout")
    sign_in(client, "admin")
    client.post(f"/admin/users/{clerk1.id}/remove")
    assert User.get_by_id(clerk1.id).active is False
    client.post("/logout")
    refused = client.post("/login", data={"username": "clerk1", "password": "demo"})
    assert refused.status_code == 401


def test_only_admins_reach_admin(client):
    assert client.get("/admin").status_code == 302  # to /login
    sign_in(client, "clerk1")
    assert client.get("/admin").status_code == 403
    assert client.get("/admin/users?lang=en").status_code == 403


def test_post_without_csrf_token_is_refused(db_url, tmp_path):
    from tests.conftest import _config_dict

    app = create_app({**_config_dict(), "DATABASE_URL": db_url, "WTF_CSRF_ENABLED": True})
    with app.app_context():
        db.connect(reuse_if_open=True)
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        without = client.post("/login", data={"username": "admin", "password": "demo"})
        assert without.status_code == 400
        ok = client.post("/login", data={"username": "admin", "password": "demo",
                                         "csrf_token": token})
        assert ok.status_code == 302
        before = Office.select().count()
        refused = client.post("/admin/offices/new", data=OFFICE)
        assert refused.status_code == 400 and Office.select().count() == before
        db.close()
