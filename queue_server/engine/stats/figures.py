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


class Measure:
    """One duration (wait or service time) of a group: a histogram, or, where a
    histogram would be as long as the tickets (per day), count, sum, max and the
    two percentiles already ranked by SQL."""

    def __init__(self):
        self.bins = defaultdict(int)
        self.ranked = None  # (n, total, max, p50, p90) when SQL ranked it

    def add(self, value, n):
        """Count ``n`` tickets that took ``value`` seconds."""
        self.bins[int(value)] += int(n)

    def figures(self, prefix, with_max=True):
        """{prefix_avg_s, prefix_p50_s, prefix_p90_s[, prefix_max_s]}."""
        if self.ranked is not None:
            n, total, top, p50, p90 = self.ranked
            avg = round(total / n, 1) if n else None
        else:
            bins = sorted(self.bins.items())
            avg, p50, p90 = mean(bins), percentile(bins, 50), percentile(bins, 90)
            top = bins[-1][0] if bins else None
        out = {f"{prefix}_avg_s": avg, f"{prefix}_p50_s": p50, f"{prefix}_p90_s": p90}
        if with_max:
            out[f"{prefix}_max_s"] = top
        return out

    def called(self):
        """How many tickets were measured."""
        return self.ranked[0] if self.ranked is not None else sum(self.bins.values())


class Group:
    """What the SQL said about one group: counts, the two measures, the ratings."""

    def __init__(self):
        self.counts = dict.fromkeys(COUNTS + ("within_target", "missed"), 0)
        self.waits = Measure()
        self.services = Measure()
        self.ratings = dict.fromkeys(SCORES, 0)

    def add_counts(self, issued, served, no_show, cancelled, transferred, expired, within,
                   missed, *rated):
        """Fold one row of ticket counts in (``sql.wait_bins`` / ``sql.day_counts``);
        ``rated``: tickets rated 1, 2, 3, 4."""
        for name, amount in zip(COUNTS + ("within_target", "missed"),
                                (issued, served, no_show, cancelled, transferred, expired,
                                 within, missed)):
            self.counts[name] += int(amount or 0)
        for score, amount in zip(SCORES, rated):
            self.ratings[score] += int(amount or 0)

    def merge(self, other):
        """Add another group's counts, histograms and ratings to this one."""
        for name, amount in other.counts.items():
            self.counts[name] += amount
        for mine, theirs in ((self.waits, other.waits), (self.services, other.services)):
            for value, n in theirs.bins.items():
                mine.bins[value] += n
        for score, n in other.ratings.items():
            self.ratings[score] += n
        return self

    def figures(self):
        """The group's figures (``FIELDS``); None where there is nothing to measure."""
        level_base = self.waits.called() + self.counts["missed"]
        rated = sum(self.ratings.values())
        return {
            **{name: self.counts[name] for name in COUNTS},
            **self.waits.figures("wait"),
            **self.services.figures("service", with_max=False),
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
