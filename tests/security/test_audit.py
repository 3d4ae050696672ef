"""Audit: admin changes and supervisor overrides say who, what and when; history stays put."""
import os
import re

import pytest
from peewee import IntegrityError, InternalError

from queue_server.engine import tickets
from queue_server.models import Counter, TicketEvent, User
from tests import factories

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _login(client, username):
    client.post("/login", data={"username": username, "password": factories.PASSWORD})


def test_admin_changes_are_recorded_and_readable_by_admins(client, auth_header, office):
    _login(client, "admin")
    client.post(f"/admin/offices/{office.id}/services/new",
                data={"code": "E", "name_vi": "Tư pháp", "prefix": "E", "target_wait_min": 10,
                      "active": "y"})
    client.post(f"/admin/offices/{office.id}/new-key/kiosk")
    clerk2 = User.get(User.username == "clerk2")
    client.post(f"/admin/users/{clerk2.id}/password", data={"password": "new-password-9"})
    log = client.get("/api/v1/audit", headers=auth_header("admin")).json
    actions = [(e["user"], e["action"]) for e in log]
    assert ("admin", "service.create") in actions and ("admin", "user.password") in actions
    assert ("admin", "office.update") in actions
    assert all(e["at"].endswith("Z") for e in log)
    assert "new-password-9" not in str(log)  # secrets never reach the log
    assert client.get("/api/v1/audit", headers=auth_header("supervisor")).status_code == 403


def test_a_supervisor_reaching_into_a_clerk_s_counter_is_an_override(client, auth_header):
    counter = Counter.get(Counter.number == 1)
    counter.clerk = User.get(User.username == "clerk1")
    counter.save()
    client.post("/api/v1/tickets", json={"service": "A"})
    assert client.post(f"/api/v1/counters/{counter.id}/call-next",
                       headers=auth_header("clerk1")).status_code == 200
    boss = auth_header("supervisor")
    paused = client.post(f"/api/v1/counters/{counter.id}/pause", headers=boss).json["id"]
    log = client.get("/api/v1/audit?action=override", headers=auth_header("admin")).json
    assert [(e["user"], e["action"], e["target"]) for e in log] == [
        ("supervisor", "override.pause", f"counter:{paused}")]


def test_ticket_events_cannot_be_changed_or_deleted(app, office):
    ticket = tickets.issue(office, "A")
    event = TicketEvent.get(TicketEvent.ticket == ticket)
    with pytest.raises((IntegrityError, InternalError)):
        TicketEvent.update(kind="tampered").where(TicketEvent.id == event.id).execute()
    with pytest.raises((IntegrityError, InternalError)):
        TicketEvent.delete().where(TicketEvent.id == event.id).execute()
    assert TicketEvent.get_by_id(event.id).kind == "issued"


def test_no_code_updates_or_deletes_ticket_events():
    pattern = re.compile(r"TicketEvent\s*\.\s*(update|delete|replace|insert_many.*on_conflict)"
                         r"|ticket_event\b.*\b(UPDATE|DELETE)\b|(UPDATE|DELETE FROM)\s+\"?"
                         r"ticket_event", re.S)
    offenders = []
    for folder in ("queue_server", "display"):
        for base, _, files in os.walk(os.path.join(ROOT, folder)):
            for name in files:
                if name.endswith(".py") and "migrations" not in base:
                    text = open(os.path.join(base, name), encoding="utf-8").read()
                    offenders += [f"{name}: {m.group(0)[:60]}" for m in pattern.finditer(text)]
    assert offenders == []
