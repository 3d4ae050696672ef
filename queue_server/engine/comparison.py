"""A region's offices compared over a period, with the office reports' definitions.

Per office: average and p90 wait, service level, service time, no-show share,
satisfaction score and number of ratings, feedback received and answered within
the office's promise; per service (by code) across the offices. Figures come from
``stats.regional.groups`` (the reports' ``Group``), feedback from ``feedback.figures``.
"""
import csv
import io

from . import feedback
from .stats import export, regional
from .stats.figures import Group

#: the comparison's columns per office, in order (CSV, XLSX, the table on screen)
OFFICE_COLUMNS = ("name", "issued", "served", "wait_avg_s", "wait_p90_s", "service_level",
                  "service_avg_s", "no_show_share", "satisfaction_score", "rated",
                  "feedback_received", "feedback_answered_in_time")
SERVICE_COLUMNS = ("code", "name", "offices", "issued", "served", "wait_avg_s", "wait_p90_s",
                   "service_level", "service_avg_s", "no_show_share", "satisfaction_score",
                   "rated")


def _row(figures):
    rated = sum(figures["ratings"].values())
    return {k: figures[k] for k in ("issued", "served", "no_show", "wait_avg_s", "wait_p50_s",
                                    "wait_p90_s", "service_level", "service_avg_s",
                                    "service_p90_s", "satisfaction_score")} | {
        "rated": rated,
        # no-shows among the tickets handed out (a transfer is not a new ticket)
        "no_show_share": (round(figures["no_show"] / figures["issued"], 4)
                          if figures["issued"] else None)}


def comparison(offices, first, last, region=None):
    """{"region", "from", "to", "offices": [...], "services": [...]} for ``offices``."""
    ids = [o.id for o in offices]
    per_office, per_code = regional.office_and_service_groups(ids, first, last)
    answered = feedback.figures(offices, first, last)
    rows = []
    for office in offices:
        g = per_office.get(office.id, Group())
        fb = answered[office.id]
        rows.append({"office": office.id, "name": office.name, "label": office.name,
                     **_row(g.figures()),
                     "feedback_received": fb["received"], "feedback_answered": fb["answered"],
                     "feedback_answered_in_time": fb["answered_in_time"],
                     "promise_h": office.feedback_promise_h})
    services = []
    names = _service_names(ids)
    for code, g in sorted(per_code.items()):
        name, name_en, n = names.get(code, (code, "", 0))
        services.append({"code": code, "name": name, "name_en": name_en,
                         "label": f"{code} {name}", "offices": n, **_row(g.figures())})
    return {"region": region.id if region else None, "from": first.isoformat(),
            "to": last.isoformat(), "offices": rows, "services": services}


def _service_names(office_ids):
    """{code: (the Vietnamese name most offices give it, the English one ("" when none
    has one), number of offices offering it)}."""
    from collections import Counter as Tally

    from ..models import Service

    names, names_en, count = {}, {}, Tally()
    for code, name, name_en in (Service.select(Service.code, Service.name_vi, Service.name_en)
                                .where(Service.office.in_(office_ids)).tuples()):
        names.setdefault(code, Tally())[name] += 1
        if name_en:
            names_en.setdefault(code, Tally())[name_en] += 1
        count[code] += 1
    return {code: (tally.most_common(1)[0][0],
                   names_en[code].most_common(1)[0][0] if code in names_en else "",
                   count[code]) for code, tally in names.items()}


def table(data, kind="offices"):
    """The rows of ``data[kind]`` as lists in column order."""
    columns = OFFICE_COLUMNS if kind == "offices" else SERVICE_COLUMNS
    return columns, [[r.get(c) for c in columns] for r in data[kind]]


def csv_bytes(headers, data, kind="offices"):
    """UTF-8 CSV with a BOM; text a spreadsheet would evaluate is quoted (export.csv_text)."""
    columns, lines = table(data, kind)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([export.csv_text(str(headers[c])) for c in columns])
    for line in lines:
        writer.writerow([export.csv_text(v) for v in line])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(headers, data, titles):
    """A workbook with a sheet of offices and one of services; text stays text."""
    sheets = []
    for kind in ("offices", "services"):
        columns, lines = table(data, kind)
        sheets.append((titles[kind], [headers[c] for c in columns], lines, 30))
    return export.workbook(sheets)
