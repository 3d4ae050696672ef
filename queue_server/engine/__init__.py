"""The queue engine: plain functions over the models, no Flask.

Every function that writes is one transaction and publishes its domain event
(``signals``) only after the commit.
"""
from . import accounts, calling, counters, estimate, offices, stats, tickets  # noqa: F401
