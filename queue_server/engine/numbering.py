"""Ticket numbers: prefix + zero-padded sequence per service and local business day."""
from ..db import Prepared
from ..models import ServiceDaySequence

_BUMP = Prepared(lambda service_id, day, first, step: (
    ServiceDaySequence
    .insert(service=service_id, day=day, last_seq=first)
    .on_conflict(conflict_target=[ServiceDaySequence.service, ServiceDaySequence.day],
                 update={ServiceDaySequence.last_seq: ServiceDaySequence.last_seq + step})
    .returning(ServiceDaySequence.last_seq)))


def next_sequence(service, day):
    """Bump and return the (service, day) counter in the caller's transaction.

    One ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` statement: two kiosks
    issuing at once can never read the same value.
    """
    (last,), = _BUMP.rows(service.id, day, 1, 1)
    return last


def format_number(prefix, sequence):
    """``A001`` ... ``A999``, then ``A1000``: padded to three digits, never wrapped."""
    return f"{prefix}{sequence:03d}"
