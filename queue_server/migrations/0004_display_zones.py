"""Display zones: a board may show only some services or counters of its office."""
from peewee import CharField, ForeignKeyField, Model


class BaseModel(Model):
    class Meta:
        database = None
        legacy_table_names = False


class Office(BaseModel):
    class Meta:
        table_name = "office"


class DisplayZone(BaseModel):
    office = ForeignKeyField(Office, backref="display_zones", on_delete="CASCADE")
    name = CharField(max_length=64)
    service_codes = CharField(max_length=255, default="")
    counter_numbers = CharField(max_length=255, default="")

    class Meta:
        indexes = ((("office", "name"), True),)


def up(migrator, db):
    with db.bind_ctx([DisplayZone]):
        db.create_tables([DisplayZone])


def down(migrator, db):
    with db.bind_ctx([DisplayZone]):
        db.drop_tables([DisplayZone])
