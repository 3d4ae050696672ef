"""Dated closures of an office: public holidays, Tết, a day off (engine/hours.py).

The weekly table itself stays on the office row (``Office.opening_hours``): every
ticket issue reads it with the office, so it costs no query of its own.
"""
from peewee import CharField, DateField, DateTimeField

from . import BaseModel, ForeignKey, Office, utcnow


class Closure(BaseModel):
    """A local day on which the office does not open, whatever its weekly table says."""

    office = ForeignKey(Office, backref="closures", on_delete="CASCADE")
    day = DateField()
    reason_vi = CharField(max_length=200, default="")
    reason_en = CharField(max_length=200, default="")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("office", "day"), True),)
