"""Every statistic of the office, defined once here, computed in SQL from the tickets.

Definitions (docs/statistics.md says the same for supervisors):

- **issued**: tickets handed out (a transfer moves a ticket, it is not a new issue);
- **served**: tickets finished (status ``done``); **no_show**, **cancelled**,
  **transferred** (moved away to another service), **expired** (still waiting or
  called at the office's local midnight): tickets that ended that way;
- **wait**: first call minus issue, in whole seconds, for every ticket that was
  called (a transferred-in ticket keeps the original issue time);
- **service time**: finish minus start, in whole seconds, for served tickets;
- **avg** is the mean; **pNN** is the nearest-rank percentile: the smallest value
  with at least NN % of the values at or below it (p50 is the median); **max**;
- **service level**: tickets called within their service's target wait
  (``Service.target_wait_min``) divided by tickets called plus tickets that expired
  without ever being called (they waited past any target);
- **satisfaction**: ratings counted per level (1 dissatisfied .. 4 very satisfied),
  the **score** is their mean (1..4) and **satisfied_share** the share rated 3 or 4;
- a ticket belongs to the office's **local day** it was issued on (``Ticket.day``)
  and the **hour** is the local hour of issue; a report over days first..last
  covers whole local days.

Durations are stored on the ticket when they happen (``wait_s`` at the call,
``service_s`` at the finish, ``hour`` at issue) so a report reads, per group,
one histogram of waits and one of service times straight off an index; figures
come from those histograms (see ``figures``), never from a loop over tickets.
"""
from .report import GROUPS, report, summary  # noqa: F401
from .sql import duration_s  # noqa: F401
