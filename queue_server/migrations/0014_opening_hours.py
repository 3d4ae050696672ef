"""Opening hours as a weekly table with a lunch break, dated closures, the last-ticket rule.

The weekly table stays in ``office.opening_hours`` (engine/hours.py); its JSON is
rewritten in the one form the engine now writes: days in order, each with at most
two periods (the gap between them the lunch break). A day of three or more periods
(never written by the admin screens, possible by hand) keeps its first opening and
last closing, with the first gap as its break. Text that is not a valid table is
left as it was (the admin's hours page shows it as unset and can replace it).
"""
import json

from peewee import CharField

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def normalise(text):
    """The canonical JSON of a legacy table, or None when it cannot be read."""
    if not text or not text.strip():
        return ""
    try:
        data = json.loads(text)
        out = {}
        for day in DAYS:
            spans = sorted([str(a), str(b)] for a, b in data.get(day, []))
            if len(spans) > 2:
                spans = [[spans[0][0], spans[0][1]], [spans[1][0], max(s[1] for s in spans)]]
            if spans:
                out[day] = spans
        return json.dumps(out, separators=(",", ":"))
    except (ValueError, TypeError, AttributeError):
        return None


def up(migrator, db):
    from queue_server.models import Closure

    migrator.migrate(
        migrator.add_column("office", "last_ticket_rule", CharField(max_length=16, default="")),
        migrator.add_column("office", "last_ticket_time", CharField(max_length=5, default="")))
    db.create_tables([Closure])
    for office_id, text in db.execute_sql('SELECT "id", "opening_hours" FROM "office"').fetchall():
        new = normalise(text)
        if new is not None and new != text:
            db.execute_sql('UPDATE "office" SET "opening_hours" = %s WHERE "id" = %s'
                           .replace("%s", db.param), (new, office_id))


def down(migrator, db):
    db.execute_sql('DROP TABLE IF EXISTS "closure"')
    migrator.migrate(migrator.drop_column("office", "last_ticket_rule"),
                     migrator.drop_column("office", "last_ticket_time"))
