"""Index for "what is this counter serving": call-next and the console ask it each time."""


def up(migrator, db):
    migrator.migrate(migrator.add_index("ticket", ("counter_id", "status"), False))


def down(migrator, db):
    migrator.migrate(migrator.drop_index("ticket", "ticket_counter_id_status"))
