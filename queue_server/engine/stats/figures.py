"""Figures from histograms: counts, mean, nearest-rank percentiles, service level, satisfaction.

A histogram is a list of (value, count) pairs; the SQL side produces one per
group, so the work here is proportional to distinct values, not to tickets.
"""
from collections import defaultdict

COUNTS = ("issued", "served", "no_show", "cancelled", "transferred", "expired")
SCORES = (1, 2, 3, 4)  # dissatisfied .. very satisfied
#: Every figure a report row carries, in display order.
FIELDS = COUNTS + ("wait_avg_s", "wait_p50_s", "wait_p90_s", "wait_max_s",
                   "service_avg_s", "service_p50_s", "service_p90_s",
                   "service_level", "ratings", "satisfaction_score", "satisfied_share")


class Group:
    """What the SQL said about one group: counts and the two histograms."""

    def __init__(self):
        self.counts = dict.fromkeys(COUNTS + ("within_target", "missed"), 0)
        self.waits = defaultdict(int)
        self.services = defaultdict(int)
        self.ratings = dict.fromkeys(SCORES, 0)

    def add_wait_row(self, value, n, issued, served, no_show, cancelled, transferred,
                     expired, within, missed):
        """Fold one (group, wait value) row of ``sql.wait_bins`` in."""
        for name, amount in zip(COUNTS + ("within_target", "missed"),
                                (issued, served, no_show, cancelled, transferred, expired,
                                 within, missed)):
            self.counts[name] += int(amount or 0)
        if value is not None:
            self.waits[int(value)] += int(n)

    def merge(self, other):
        """Add another group's figures to this one (the overall row)."""
        for name, amount in other.counts.items():
            self.counts[name] += amount
        for value, n in other.waits.items():
            self.waits[value] += n
        for value, n in other.services.items():
            self.services[value] += n
        for score, n in other.ratings.items():
            self.ratings[score] += n
        return self

    def figures(self):
        """The group's figures (``FIELDS``); None where there is nothing to measure."""
        waits, services = sorted(self.waits.items()), sorted(self.services.items())
        called = sum(n for _, n in waits)
        level_base = called + self.counts["missed"]
        rated = sum(self.ratings.values())
        return {
            **{name: self.counts[name] for name in COUNTS},
            "wait_avg_s": mean(waits), "wait_p50_s": percentile(waits, 50),
            "wait_p90_s": percentile(waits, 90),
            "wait_max_s": waits[-1][0] if waits else None,
            "service_avg_s": mean(services), "service_p50_s": percentile(services, 50),
            "service_p90_s": percentile(services, 90),
            "service_level": (round(self.counts["within_target"] / level_base, 4)
                              if level_base else None),
            "ratings": {str(s): self.ratings[s] for s in SCORES},
            "satisfaction_score": (round(sum(s * n for s, n in self.ratings.items()) / rated, 2)
                                   if rated else None),
            "satisfied_share": (round((self.ratings[3] + self.ratings[4]) / rated, 4)
                                if rated else None),
        }


def mean(bins):
    """Mean of a sorted histogram, to 0.1 s, or None when empty."""
    n = sum(c for _, c in bins)
    return round(sum(v * c for v, c in bins) / n, 1) if n else None


def percentile(bins, p):
    """Nearest-rank percentile ``p`` (0..100] of a sorted histogram, or None when empty."""
    n = sum(c for _, c in bins)
    if not n:
        return None
    rank = max(1, -(-p * n // 100))  # ceil in integers: 0.9 * 110 is not 99.0 in floats
    seen = 0
    for value, count in bins:
        seen += count
        if seen >= rank:
            return value
    return bins[-1][0]
