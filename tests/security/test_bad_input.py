"""Bad input gets a clear answer or is normalised; nothing crashes."""
import unicodedata

import pytest

from queue_server.engine import admin
from queue_server.errors import InvalidInput
from queue_server.models import Office, Service, User


def test_an_oversized_body_is_a_413_in_the_error_shape(client, app):
    body = b'{"service": "' + b"A" * (app.config["MAX_CONTENT_LENGTH"] + 10) + b'"}'
    response = client.post("/api/v1/tickets", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.json["error"]["code"] == "request_entity_too_large"


@pytest.mark.parametrize("data,content_type,code", [
    ("service=A", "application/x-www-form-urlencoded", "unsupported_content_type"),
    ("<ticket/>", "text/xml", "unsupported_content_type"),
    ('{"service": ', "application/json", "malformed_json"),
    ('["A"]', "application/json", "malformed_json"),
    ('{"service": 7}', "application/json", "invalid_input"),
    ('{"service": "A", "priority": {"x": 1}}', "application/json", "invalid_input"),
    ('{"service": "A", "office": "1; DROP TABLE ticket"}', "application/json", "invalid_input"),
])
def test_wrong_content_types_and_malformed_bodies_are_400s(client, data, content_type, code):
    response = client.post("/api/v1/tickets", data=data, content_type=content_type)
    assert response.status_code == 400, response.json
    assert response.json["error"]["code"] == code


def test_an_oversized_form_is_refused_too(client, app):
    response = client.post("/login", data={"username": "x" * app.config["MAX_CONTENT_LENGTH"],
                                           "password": "y"})
    assert response.status_code == 413
    assert "<html" in response.get_data(as_text=True).lower()  # a page for a browser


def test_vietnamese_names_are_stored_precomposed(app, office):
    decomposed = unicodedata.normalize("NFD", "Tư pháp – Hộ tịch")
    service = admin.save_service(office, code="e", name_vi=decomposed, name_en=" Justice ",
                                 prefix="e")
    service = Service.get_by_id(service.id)
    assert service.name_vi == "Tư pháp – Hộ tịch" == unicodedata.normalize("NFC", decomposed)
    assert (service.code, service.name_en) == ("E", "Justice")
    user = admin.save_user(username=unicodedata.normalize("NFD", "lê.văn"), role="clerk",
                           office=office, full_name=unicodedata.normalize("NFD", "Lê Văn Tám"),
                           password="long-enough-1")
    assert User.get_by_id(user.id).username == "lê.văn"
    assert User.get_by_id(user.id).full_name == "Lê Văn Tám"


@pytest.mark.parametrize("bad", ["Quầy\x00", "Quầy\x1b[31m", "line\nbreak"])
def test_control_characters_in_names_are_refused(app, office, bad):
    with pytest.raises(InvalidInput):
        admin.save_office(name=bad, timezone="Asia/Ho_Chi_Minh")
    with pytest.raises(InvalidInput):
        admin.save_user(username=bad, role="clerk", password="long-enough-1")


def test_a_notice_keeps_its_line_breaks(app, office):
    saved = admin.save_office(office, name=office.name, timezone=office.timezone,
                              notice="Sáng 7:30\nChiều 13:30")
    assert Office.get_by_id(saved.id).notice == "Sáng 7:30\nChiều 13:30"


def test_the_admin_form_explains_a_refused_name(client, office):
    client.post("/login", data={"username": "admin", "password": "demo"})
    page = client.post(f"/admin/offices/{office.id}/services/new",
                       data={"code": "F", "name_vi": "Bad\x07name", "prefix": "F",
                             "target_wait_min": 10})
    assert page.status_code in (200, 400)
    assert "“Tên (tiếng Việt)” có ký tự điều khiển" in page.get_data(as_text=True)
    assert not Service.select().where(Service.code == "F").exists()


@pytest.mark.parametrize("path", ["/t/%00", "/t/" + "x" * 5000, "/kiosk/1/ticket/%F0%9F%98%80",
                                  "/display/speech/vi/%00/1.wav", "/rate/99999999999999999999",
                                  "/api/v1/tickets/99999999999999999999999",
                                  "/api/v1/services?office=-1", "/display/1?recent=-5&zone=%00"])
def test_odd_urls_never_crash(client, path):
    assert client.get(path, headers={"Authorization": "Bearer x"}).status_code < 500
