"""Every screen renders in Vietnamese and English; the vi catalogue is complete."""
import ast
import html
import os
import re

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from queue_server.engine import calling, tickets
from queue_server.models import Counter, Ticket

from .helpers import sign_in, take_ticket

CATALOGUE = os.path.join(os.path.dirname(__file__), "..", "..", "queue_server", "translations",
                         "vi", "LC_MESSAGES")

PUBLIC_PAGES = [
    ("/kiosk/1", "Chọn dịch vụ để lấy số", "Choose a service to take a number"),
    ("/kiosk/1/ticket/{token}", "Số của quý khách", "Your number"),
    ("/t/{token}", "Số người chờ trước", "People ahead"),
    ("/rate/1", "Cảm ơn quý khách đã đến", "Thank you for visiting"),
    ("/rate/1/thanks", "Cảm ơn quý khách đã đánh giá!", "Thank you for your rating!"),
    ("/login", "Đăng nhập", "Sign in"),
]
CLERK_PAGES = [("/counter", "Số đang phục vụ", "Current ticket")]
ADMIN_PAGES = [
    ("/admin", "Quản trị", "Administration"),
    ("/admin/offices/1", "Múi giờ", "Timezone"),
    ("/admin/offices/new", "Thêm cơ quan", "New office"),
    ("/admin/offices/1/services", "Tiền tố số", "Number prefix"),
    ("/admin/offices/1/services/new", "Thêm dịch vụ", "New service"),
    ("/admin/services/1", "Thời gian chờ mục tiêu (phút)", "Target wait (minutes)"),
    ("/admin/offices/1/counters", "Dịch vụ theo thứ tự", "Services in order"),
    ("/admin/offices/1/counters/new", "Thêm quầy", "New counter"),
    ("/admin/counters/1", "Quầy 1", "Counter 1"),
    ("/admin/users", "Người dùng", "Users"),
    ("/admin/users/new", "Thêm người dùng", "New user"),
    ("/admin/users/1", "Đặt lại mật khẩu", "Reset password"),
    ("/admin/offices/1/hours", "Nghỉ trưa từ", "Lunch break from"),
    ("/admin/offices/1/screens", "Màn hình phòng chờ", "Waiting-room board"),
]


def _check(client, path, vi, en):
    for lang, text in (("vi", vi), ("en", en)):
        response = client.get(path + ("&" if "?" in path else "?") + "lang=" + lang)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, (path, lang, html[:500])
        assert text in html, (path, lang)
        assert f'<html lang="{lang}">' in html
        other = "en" if lang == "vi" else "vi"
        assert f"lang={other}" in html  # the language switch link


@pytest.mark.parametrize("path,vi,en", PUBLIC_PAGES)
def test_public_pages_in_both_languages(client, path, vi, en):
    token = take_ticket(client, "A")
    _check(client, path.format(token=token), vi, en)


def test_tracking_page_when_called_in_both_languages(client):
    token = take_ticket(client, "A")
    calling.call_next(Counter.get(Counter.number == 2).id)
    _check(client, f"/t/{token}", "Đến lượt quý khách: quầy số 2", "Your turn: counter 2")


def test_rating_question_in_both_languages(client):
    take_ticket(client, "A")
    ticket = calling.call_next(Counter.get(Counter.number == 1).id)
    tickets.start(ticket.id)
    tickets.finish(ticket.id)
    _check(client, "/rate/1", "Rất hài lòng", "Very satisfied")
    _check(client, "/rate/1", "Không hài lòng", "Dissatisfied")


@pytest.mark.parametrize("path,vi,en", CLERK_PAGES)
def test_console_pages_in_both_languages(client, path, vi, en):
    sign_in(client, "clerk1")
    _check(client, path, "Chọn quầy làm việc", "Choose your counter")
    client.post("/counter/sign-in", data={"counter_id": 1})
    _check(client, path, vi, en)
    assert Ticket.select().count() == 0


@pytest.mark.parametrize("path,vi,en", ADMIN_PAGES)
def test_admin_pages_in_both_languages(client, path, vi, en):
    sign_in(client, "admin")
    _check(client, path, vi, en)


def test_error_page_in_both_languages(client):
    for lang in ("vi", "en"):
        response = client.get(f"/t/no-such-token?lang={lang}")
        assert response.status_code == 404
        assert f'<html lang="{lang}">' in response.get_data(as_text=True)


def test_vi_catalogue_has_no_untranslated_message():
    with open(os.path.join(CATALOGUE, "messages.po"), "rb") as po:
        catalogue = read_po(po, locale="vi")
    messages = [m for m in catalogue if m.id]
    assert len(messages) > 100
    untranslated = [m.id for m in messages if not m.string or "fuzzy" in m.flags]
    assert untranslated == []


def test_compiled_catalogue_matches_the_po():
    with open(os.path.join(CATALOGUE, "messages.po"), "rb") as po:
        source = {m.id: m.string for m in read_po(po, locale="vi") if m.id}
    with open(os.path.join(CATALOGUE, "messages.mo"), "rb") as mo:
        compiled = {m.id: m.string for m in read_mo(mo) if m.id}
    assert compiled == source, "run scripts/i18n compile"


#: Engine modules whose refusals admin and supervisor forms show (views/admin/, the
#: region and feedback forms): each refusal must carry a code the screens can say.
FORM_ENGINE = ("admin", "admin_rows", "accounts", "hours_admin", "regions", "boards",
               "feedback", "slots", "remote")
#: Refusals no admin or supervisor form can reach: the API's DELETE of a row in use
#: (``<kind>_in_use``), path parameters the router already checked, the citizen's own
#: feedback and booking pages (which say their own words).
API_ONLY = {("admin_rows", "remove"), ("regions", "get_region"), ("boards", "get_zone"),
            ("feedback", "submit"), ("feedback", "inbox"), ("slots", "parse_day"),
            ("slots", "_bad_day"), ("slots", "find_slot"), ("slots", "_any_slot")}


def _refusals(module):
    """(function, line, code or None) of every InvalidInput/Conflict raised in ``module``."""
    path = os.path.join(os.path.dirname(CATALOGUE), "..", "..", "engine", f"{module}.py")
    with open(path, encoding="utf-8") as source:
        tree = ast.parse(source.read())
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef):
            continue
        for node in ast.walk(function):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("InvalidInput", "Conflict")):
                code = next((k.value for k in node.keywords if k.arg == "code"), None)
                yield function.name, node.lineno, getattr(code, "value", code)


def test_every_refusal_a_form_can_show_has_a_sentence_in_both_languages():
    from queue_server.error_texts import BY_CODE
    from queue_server.views.admin.hours import MESSAGES as HOURS
    from queue_server.views.admin.zones import FIELD_OF as ZONES

    sayable = set(BY_CODE) | set(HOURS) | set(ZONES)
    missing = [f"engine/{module}.py:{line} {function}() code={code!r}"
               for module in FORM_ENGINE for function, line, code in _refusals(module)
               if (module, function) not in API_ONLY and code not in sayable]
    assert missing == [], "give these a code and a sentence in queue_server/error_texts.py"


def _visible_vietnamese(page):
    """The words of a page without what is English on purpose (``lang="en"``) or code."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r'<(\w+)[^>]*\blang="en"[^>]*>.*?</\1>', " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def _engine_sentences():
    """The English pieces (3+ words) of every refusal message in ``FORM_ENGINE``: what
    a form would show if it printed the engine's message (the API's words)."""
    found = set()
    for module in FORM_ENGINE:
        path = os.path.join(os.path.dirname(CATALOGUE), "..", "..", "engine", f"{module}.py")
        with open(path, encoding="utf-8") as source:
            tree = ast.parse(source.read())
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("InvalidInput", "Conflict") and node.args):
                texts = [n.value for n in ast.walk(node.args[0])
                         if isinstance(n, ast.Constant) and isinstance(n.value, str)]
                for piece in texts:
                    piece = piece.strip(" .:;,'\"")
                    if len(piece.split()) >= 3 and len(piece) >= 14:
                        found.add(piece)
    return found


def test_vietnamese_admin_pages_and_refusals_show_no_english_sentence(client):
    from tests.e2e.test_screens_fit import english_sentences

    english = set(english_sentences()) | _engine_sentences()
    assert "The prefix is one letter or digit" in english
    sign_in(client, "admin")
    pages = {path: client.get(path + "?lang=vi") for path, _, _ in ADMIN_PAGES}
    # and pages holding a refusal (tests/views/test_admin_messages.py has more)
    pages["refused prefix"] = client.post("/admin/offices/1/services/new?lang=vi", data={
        "code": "E", "name_vi": "Tư pháp", "prefix": "-", "target_wait_min": "20"})
    pages["refused password"] = client.post("/admin/users/new?lang=vi", data={
        "username": "clerk9", "role": "clerk", "office_id": "1", "region_id": "0",
        "password": "short"})
    found = [(name, sentence) for name, response in pages.items()
             for sentence in english
             if sentence in _visible_vietnamese(response.get_data(as_text=True))]
    assert found == []
