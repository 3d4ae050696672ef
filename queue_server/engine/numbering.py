"""Ticket numbers: prefix + zero-padded sequence per service and local business day."""
from ..models import ServiceDaySequence


def next_sequence(service, day):
    """Bump and return the (service, day) counter in the caller's transaction.

    One ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` statement: two kiosks
    issuing at once can never read the same value.
    """
    query = (ServiceDaySequence
             .insert(service=service, day=day, last_seq=1)
             .on_conflict(conflict_target=[ServiceDaySequence.service, ServiceDaySequence.day],
                          update={ServiceDaySequence.last_seq: ServiceDaySequence.last_seq + 1})
             .returning(ServiceDaySequence.last_seq))
    row = next(iter(query.execute()))
    return row.last_seq


def format_number(prefix, sequence):
    """``A001`` ... ``A999``, then ``A1000``: padded to three digits, never wrapped."""
    return f"{prefix}{sequence:03d}"
