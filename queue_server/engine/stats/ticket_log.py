"""Every ticket of a range with its events: "when was A004 called, by whom, where,
and how long did it take" (the per-ticket export, JSON, CSV and XLSX)."""
import csv
import io

from ...models import Counter, Service, Ticket, TicketEvent, User
from ..clock import iso, local
from .export import csv_text, workbook

#: The columns of the per-ticket table, in order (the events column lists them all).
COLUMNS = ("number", "service", "status", "priority", "source", "day", "issued_at",
           "called_at", "counter", "called_by", "started_at", "started_by", "finished_at",
           "finished_by", "wait_s", "service_s", "recalls", "rating", "note", "events")
EVENT_COLUMNS = ("number", "service", "kind", "at", "from_status", "to_status", "counter",
                 "by", "detail")
#: How the step names of ``COLUMNS`` map to the event kinds that make them.
_STEPS = {"called": ("called",), "started": ("start",),
          "finished": ("finish", "no_show", "cancel", "transferred", "expire")}


def tickets(office, first, last):
    """The office's tickets of local days first..last (issue order) with their events:
    [{"id", "number", "service", "status", ..., "events": [{"kind", "at", "from_status",
    "to_status", "counter", "by", "detail"}]}], times ISO UTC."""
    counters = {c.id: c.number for c in Counter.select().where(Counter.office == office)}
    users = {u.id: u.username for u in User.select(User.id, User.username)}
    codes = {s.id: s.code for s in Service.select().where(Service.office == office)}
    rows, by_id = [], {}
    for t in (Ticket.select().where((Ticket.office == office) & (Ticket.day >= first)
                                    & (Ticket.day <= last))
              .order_by(Ticket.issued_at, Ticket.id)):
        row = {"id": t.id, "number": t.number, "service": codes.get(t.service_id),
               "status": t.status, "priority": t.priority, "source": t.source,
               "day": t.day.isoformat(), "issued_at": iso(t.issued_at),
               "called_at": iso(t.called_at), "started_at": iso(t.started_at),
               "finished_at": iso(t.finished_at), "counter": counters.get(t.counter_id),
               "clerk": users.get(t.clerk_id), "wait_s": t.wait_s, "service_s": t.service_s,
               "recalls": t.recall_count, "rating": t.rating, "note": t.note or "",
               "transferred_from": t.transferred_from_id, "events": []}
        rows.append(row)
        by_id[t.id] = row
    if by_id:
        events = (TicketEvent.select().join(Ticket)
                  .where((Ticket.office == office) & (Ticket.day >= first)
                         & (Ticket.day <= last))
                  .order_by(TicketEvent.at, TicketEvent.id))
        for e in events:
            by_id[e.ticket_id]["events"].append({
                "kind": e.kind, "at": iso(e.at), "from_status": e.from_status,
                "to_status": e.to_status, "counter": counters.get(e.counter_id),
                "by": users.get(e.user_id), "detail": e.detail or ""})
    for row in rows:
        for step, kinds in _STEPS.items():
            last_event = next((e for e in reversed(row["events"]) if e["kind"] in kinds), None)
            row[f"{step}_by"] = last_event["by"] if last_event else None
    return rows


def _local(office, text):
    if not text:
        return None
    from datetime import datetime
    return local(office, datetime.fromisoformat(text).replace(tzinfo=None)).strftime(
        "%Y-%m-%d %H:%M:%S")


def _event_text(office, e):
    where = f" @{e['counter']}" if e["counter"] is not None else ""
    who = f" {e['by']}" if e["by"] else ""
    return f"{_local(office, e['at'])[11:]} {e['kind']}{where}{who}"


def table(office, rows):
    """``rows`` as lists in ``COLUMNS`` order, times in the office's local time."""
    out = []
    for r in rows:
        flat = {**r, "priority": int(bool(r["priority"])),
                "events": "; ".join(_event_text(office, e) for e in r["events"]),
                **{k: _local(office, r[k]) for k in ("issued_at", "called_at", "started_at",
                                                     "finished_at")}}
        out.append([flat[c] for c in COLUMNS])
    return out


def event_table(office, rows):
    """One line per event (``EVENT_COLUMNS``), for the XLSX's second sheet."""
    return [[r["number"], r["service"], e["kind"], _local(office, e["at"]), e["from_status"],
             e["to_status"], e["counter"], e["by"], e["detail"]]
            for r in rows for e in r["events"]]


def csv_bytes(office, rows, headers):
    """UTF-8 CSV with a BOM, one line per ticket; ``headers``: column -> title."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_text(headers.get(c, c)) for c in COLUMNS])
    for line in table(office, rows):
        writer.writerow([csv_text(v) for v in line])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(office, rows, headers, titles=("Tickets", "Events")):
    """A workbook: a sheet of tickets, a sheet of every event; text stays text."""
    return workbook([
        (titles[0], [headers.get(c, c) for c in COLUMNS], table(office, rows), None),
        (titles[1], [headers.get(c, c) for c in EVENT_COLUMNS], event_table(office, rows), None)])
