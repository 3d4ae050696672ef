"""The engine's refusals on admin and supervisor forms are said in the page's language:
the translated sentence (with the refused value), never the engine's English message,
which the JSON API keeps."""
import html
import re

import pytest

from queue_server.engine import admin, feedback
from queue_server.errors import Conflict, InvalidInput

from .helpers import sign_in

OFFICE = {"name": "UBND phường Dĩnh Kế", "timezone": "Asia/Ho_Chi_Minh",
          "default_language": "vi", "notice": "", "display_key": "", "kiosk_key": "",
          "printer_url": "", "announce_languages": "", "region_id": "0",
          "feedback_promise_h": "72"}
SERVICE = {"code": "E", "name_vi": "Tư pháp", "name_en": "Justice", "prefix": "E",
           "target_wait_min": "20", "daily_cap": "", "active": "y"}
USER = {"username": "clerk9", "full_name": "", "role": "clerk", "office_id": "1",
        "region_id": "0", "active": "y", "password": "long enough"}

# (what, URL, form, Vietnamese sentence, English sentence, the engine's message)
CASES = [
    ("timezone", "/admin/offices/1", {**OFFICE, "timezone": "Mars/Base"},
     "Không có múi giờ “Mars/Base”: xin dùng tên như Asia/Ho_Chi_Minh.",
     "Unknown timezone “Mars/Base”: use a name such as Asia/Ho_Chi_Minh.",
     "Unknown timezone 'Mars/Base' (use e.g. Asia/Ho_Chi_Minh)."),
    ("control characters", "/admin/offices/1", {**OFFICE, "notice": "Nghỉ\x07 lễ"},
     "“Thông báo trên bảng” có ký tự điều khiển (mã ẩn): xin gõ lại.",
     "“Board notice” contains control characters (invisible codes): type it again.",
     "The notice contains control characters."),
    ("prefix", "/admin/offices/1/services/new", {**SERVICE, "prefix": "-"},
     "Tiền tố số là một chữ cái hoặc một chữ số.",
     "The number prefix is one letter or digit.", "The prefix is one letter or digit."),
    ("duplicate code", "/admin/offices/1/services/new", {**SERVICE, "code": "A"},
     "“A” đã được dùng: xin chọn giá trị khác.", "“A” is already used: choose another.",
     "Service code A is already used in this office."),
    ("duplicate counter", "/admin/offices/1/counters/new",
     {"number": "2", "name": "", "services": "", "active": "y"},
     "“2” đã được dùng: xin chọn giá trị khác.", "“2” is already used: choose another.",
     "Counter 2 already exists in this office."),
    ("unknown service of a counter", "/admin/offices/1/counters/new",
     {"number": "9", "name": "", "services": "A, Z", "active": "y"},
     "Không có dịch vụ mã Z.", "Unknown service code Z.", "Unknown service code Z."),
    ("weak password", "/admin/users/new", {**USER, "password": "short"},
     "Mật khẩu cần ít nhất 8 ký tự.", "The password needs at least 8 characters.",
     "The password needs at least 8 characters."),
    ("taken username", "/admin/users/new", {**USER, "username": "clerk1"},
     "“clerk1” đã được dùng: xin chọn giá trị khác.",
     "“clerk1” is already used: choose another.", "User 'clerk1' already exists."),
    ("regional without region", "/admin/users/new", {**USER, "role": "regional"},
     "Người dùng cấp vùng cần có vùng và không thuộc cơ quan nào.",
     "A regional user needs a region and no office.",
     "A regional user needs a region and no office."),
]


def _flashes(page):
    return [html.unescape(m) for m in
            re.findall(r'<p class="flash flash-error"[^>]*>(.*?)</p>', page, re.S)]


@pytest.mark.parametrize("what,url,form,vi,en,engine", CASES, ids=[c[0] for c in CASES])
def test_a_refused_value_is_said_in_the_page_language(client, what, url, form, vi, en, engine):
    sign_in(client, "admin")
    page = client.post(url + "?lang=vi", data=form).get_data(as_text=True)
    assert _flashes(page) == [vi]
    assert engine not in html.unescape(page)
    page = client.post(url + "?lang=en", data=form).get_data(as_text=True)
    assert _flashes(page) == [en]


def test_the_api_keeps_the_engine_message(client, auth_header):
    response = client.post("/api/v1/services", headers=auth_header("admin"),
                           json={"office": 1, "code": "A", "name_vi": "Hộ tịch", "prefix": "Q"})
    assert response.status_code == 409
    assert response.json["error"] == {"code": "duplicate", "message":
                                      "Service code A is already used in this office."}


@pytest.mark.parametrize("error", [InvalidInput("Some new rule the forms never heard of.",
                                                code="brand_new_rule"),
                                   Conflict("Some new conflict.", code="brand_new_conflict")])
def test_a_refusal_without_a_sentence_is_a_generic_one_not_english(client, monkeypatch, error):
    def refuse(*args, **kwargs):
        raise error
    monkeypatch.setattr(admin, "save_service", refuse)
    sign_in(client, "admin")
    page = client.post("/admin/offices/1/services/new?lang=vi", data=SERVICE) \
        .get_data(as_text=True)
    [said] = _flashes(page)
    assert said.startswith("Không lưu được")
    assert error.message not in page


def test_a_zone_of_unknown_counters_names_them_in_vietnamese(client):
    sign_in(client, "admin")
    page = client.post("/admin/offices/1/zones?lang=vi",
                       data={"name": "Tầng 2", "services": "", "counters": "1, 9"})
    text = html.unescape(page.get_data(as_text=True))
    assert "Chỉ hiển thị được các quầy của cơ quan này (ghi số, ví dụ 1, 2), không phải: 9." \
        in text
    assert "Unknown counter number" not in text


def test_a_supervisor_answering_nothing_reads_it_in_vietnamese(client, office):
    item = feedback.submit(office, "Chỗ ngồi chờ hơi ít ghế.")
    sign_in(client, "supervisor")
    page = client.post(f"/supervisor/feedback/{item.id}?lang=vi",
                       data={"action": "answer", "text": ""}, follow_redirects=True)
    assert _flashes(page.get_data(as_text=True)) == ["Xin viết nội dung trả lời trước."]
