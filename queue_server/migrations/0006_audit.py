"""Audit log of admin changes and supervisor overrides; ticket events made append-only.

``ticket_event`` is the history statistics and disputes rely on: database
triggers refuse any UPDATE or DELETE of it, whoever writes (the app, a script,
a console session), on SQLite and PostgreSQL alike.
"""
from peewee import CharField, DateTimeField, ForeignKeyField, Model, SqliteDatabase, TextField


class BaseModel(Model):
    class Meta:
        database = None
        legacy_table_names = False


class User(BaseModel):
    class Meta:
        table_name = "user"


class AuditLog(BaseModel):
    at = DateTimeField(index=True)
    user = ForeignKeyField(User, null=True, on_delete="SET NULL")
    username = CharField(max_length=64, default="")
    action = CharField(max_length=64)
    target = CharField(max_length=128, default="")
    details = TextField(default="")


SQLITE_TRIGGERS = tuple(
    f"CREATE TRIGGER IF NOT EXISTS ticket_event_no_{op.lower()} BEFORE {op} ON ticket_event "
    "BEGIN SELECT RAISE(ABORT, 'ticket_event is append-only'); END"
    for op in ("UPDATE", "DELETE"))
POSTGRES_TRIGGER = (
    "CREATE OR REPLACE FUNCTION ticket_event_append_only() RETURNS trigger AS $$ BEGIN "
    "RAISE EXCEPTION 'ticket_event is append-only'; END $$ LANGUAGE plpgsql",
    "DROP TRIGGER IF EXISTS ticket_event_append_only ON ticket_event",
    "CREATE TRIGGER ticket_event_append_only BEFORE UPDATE OR DELETE ON ticket_event "
    "FOR EACH ROW EXECUTE FUNCTION ticket_event_append_only()",
)


def up(migrator, db):
    with db.bind_ctx([AuditLog, User]):
        db.create_tables([AuditLog])
    for statement in SQLITE_TRIGGERS if isinstance(db, SqliteDatabase) else POSTGRES_TRIGGER:
        db.execute_sql(statement)


def down(migrator, db):
    if isinstance(db, SqliteDatabase):
        for op in ("update", "delete"):
            db.execute_sql(f"DROP TRIGGER IF EXISTS ticket_event_no_{op}")
    else:
        db.execute_sql("DROP TRIGGER IF EXISTS ticket_event_append_only ON ticket_event")
        db.execute_sql("DROP FUNCTION IF EXISTS ticket_event_append_only()")
    with db.bind_ctx([AuditLog, User]):
        db.drop_tables([AuditLog])
