"""The plain value a ticket is printed from.

The app builds it from its models; the printer package never sees a model, so the
layout can be tested and benchmarked without Flask or a database.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime


def wait_minutes(seconds: float | None) -> int | None:
    """The estimated wait as the ticket and every screen say it: whole minutes rounded
    up, at least 1 (nobody is told "0 minutes"); None when there is no estimate."""
    if seconds is None:
        return None
    return max(1, math.ceil(seconds / 60))


@dataclass(frozen=True)
class TicketValue:
    """Everything printed on one queue ticket.

    ``issued_at`` is an aware datetime already in the office's local time; it is
    printed as is (dd/mm/yyyy HH:MM), never converted.
    ``estimated_wait_s`` is None when there is no estimate yet (printed as "—").
    """

    office_name: str
    service_name_vi: str
    service_name_en: str | None
    number: str
    issued_at: datetime
    ahead: int
    estimated_wait_s: int | None
    priority: bool
    track_url: str
    footer: str = ""

    def __post_init__(self) -> None:
        # Fail when the value is built, not half-way through printing.
        if self.issued_at.tzinfo is None:
            raise ValueError("issued_at must be an aware datetime in local time")
        if self.ahead < 0:
            raise ValueError("ahead must be >= 0")
        if not self.number:
            raise ValueError("number must not be empty")
