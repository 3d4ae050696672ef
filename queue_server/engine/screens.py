"""The sequence number every message to an office's screens carries.

One counter per office, in the database, so every process of a deployment agrees on
it whether or not the message queue is up. A board that sees a number skipped, or a
``sync`` beat with a number above the last it applied, asks for a fresh snapshot; a
snapshot carries the number read *before* its state, so every message numbered up to
it is already in it (docs/display.md, "Converging").
"""
from ..db import Prepared, db, is_sqlite
from ..models import ScreenSequence

_BUMP = Prepared(lambda office_id, first, step: (
    ScreenSequence
    .insert(office=office_id, seq=first)
    .on_conflict(conflict_target=[ScreenSequence.office],
                 update={ScreenSequence.seq: ScreenSequence.seq + step})
    .returning(ScreenSequence.seq)))


def next_seq(office_id):
    """Bump the office's sequence; the new number. One statement: on PostgreSQL it
    commits by itself (one round trip, not three); SQLite writers take the
    process's writer lock in a transaction (db.QueueSqliteDatabase)."""
    if not is_sqlite():
        (seq,), = _BUMP.rows(office_id, 1, 1)
        return seq
    with db.atomic():
        (seq,), = _BUMP.rows(office_id, 1, 1)
    return seq


def current_seq(office_id):
    """The office's last sequence number (0 before any message)."""
    return current_seqs([office_id]).get(office_id, 0)


def current_seqs(office_ids):
    """``{office id: last sequence number}`` for offices that sent any."""
    ids = list(office_ids)
    if not ids:
        return {}
    query = ScreenSequence.select(ScreenSequence.office, ScreenSequence.seq).where(
        ScreenSequence.office.in_(ids)).tuples()
    return dict(query)
