"""Rating comments newest first (reports, dashboard): a partial index of the ratings
that carry a comment, so the newest 200 of a range are found without joining every
rating of a year (~250,000 for a busy office, most without a comment)."""


def up(migrator, db):
    db.execute_sql('CREATE INDEX IF NOT EXISTS "rating_comment_newest" ON "rating" '
                   "(created_at, id) WHERE comment != ''")


def down(migrator, db):
    db.execute_sql('DROP INDEX IF EXISTS "rating_comment_newest"')
