"""The report as a table: the same rows and figures as the JSON, for CSV and XLSX files."""
import csv
import io

#: the columns of an exported report, in order (``ratings`` spreads over four)
COLUMNS = ("label", "issued", "served", "no_show", "cancelled", "transferred", "expired",
           "wait_avg_s", "wait_p50_s", "wait_p90_s", "wait_max_s", "service_avg_s",
           "service_p50_s", "service_p90_s", "service_level", "rating_1", "rating_2",
           "rating_3", "rating_4", "satisfaction_score")

#: A text cell starting with one of these is evaluated by spreadsheet programs
#: (formula injection: a service named ``=HYPERLINK(...)``), OWASP's list.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value):
    """``value`` as a CSV cell: text a spreadsheet would evaluate gets a leading ``'``."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def rows(data, overall_label):
    """The report's rows (then the overall row) as lists in ``COLUMNS`` order."""
    def line(label, row):
        flat = {**row, "label": label,
                **{f"rating_{s}": row["ratings"][str(s)] for s in (1, 2, 3, 4)}}
        return [flat[c] for c in COLUMNS]

    return ([line(r["label"], r) for r in data["rows"]]
            + [line(overall_label, data["overall"])])


def csv_bytes(headers, data, overall_label):
    """UTF-8 CSV (with a BOM so spreadsheet programs read Vietnamese right)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_text(headers[c]) for c in COLUMNS])
    for line in rows(data, overall_label):
        writer.writerow([csv_text(v) for v in line])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(headers, data, overall_label, title):
    """An XLSX workbook with one sheet holding the table (numbers stay numbers)."""
    return workbook([(title, [headers[c] for c in COLUMNS], rows(data, overall_label), 28)])


def workbook(sheets):
    """XLSX bytes of ``sheets``: [(title, header row, rows, width of column A or None)],
    headers in bold. Every text cell is written as a string (openpyxl would store
    ``=...`` as a formula), so names from the admin pages never run in the
    supervisor's Excel."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    for i, (title, header, lines, width) in enumerate(sheets):
        sheet = book.active if i == 0 else book.create_sheet()
        sheet.title = str(title)[:31]
        sheet.append([str(h) for h in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for line in lines:
            sheet.append(line)
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
        if width:
            sheet.column_dimensions["A"].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
