"""Regions (a province, a city, a district) grouping offices, and citizens' feedback.

A region may have a parent region, one level only (province -> city): a regional
user of the province sees the offices of its cities too. ``Office.region`` and
``User.region`` point here (columns declared on those models, migration 0019).
"""
from peewee import BooleanField, CharField, DateTimeField, TextField

from . import BaseModel, ForeignKey, Office, Rating, Ticket, User, utcnow


class Region(BaseModel):
    name = CharField(max_length=200)
    parent = ForeignKey("self", null=True, backref="children", on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)


#: the states of a feedback item, in the order it moves through them
FEEDBACK_STATES = ("new", "handling", "answered", "closed")


class Feedback(BaseModel):
    """A citizen's comment or complaint to an office, and the office's answer.

    Holds only what the citizen chose to give: the text, an optional contact and,
    when sent from their phone page, the ticket (whose tracking page shows the
    answer). A rating comment becomes feedback too (``rating`` set).
    """

    office = ForeignKey(Office, backref="feedback", on_delete="RESTRICT")
    ticket = ForeignKey(Ticket, null=True, on_delete="SET NULL")
    rating = ForeignKey(Rating, null=True, unique=True, on_delete="SET NULL")
    source = CharField(max_length=16, default="phone")  # phone / rating / api
    text = TextField()
    contact = CharField(max_length=200, default="")
    state = CharField(max_length=16, default="new")
    spam = BooleanField(default=False)  # abusive or spam: kept, out of the figures
    answer = TextField(default="")
    answered_by = ForeignKey(User, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)
    handling_at = DateTimeField(null=True)
    answered_at = DateTimeField(null=True)
    closed_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("office", "state", "created_at"), False),
                   (("office", "created_at"), False))


REGION_MODELS = [Region, Feedback]
#: the default promise: an answer within this many hours (``Office.feedback_promise_h``)
DEFAULT_PROMISE_H = 72

