"""Rating comments over a range of days (engine/stats/comments.py): read from the
newest commented ratings, each counted on its ticket's local day."""
from queue_server.engine import calling, counters, ratings, tickets
from queue_server.engine.stats import comments
from queue_server.models import Counter, Ticket, User

from .scenario import DAY, NEXT_DAY, at


def test_a_phone_comment_given_the_next_morning_belongs_to_its_tickets_day(office):
    clerk = User.get(User.username == "clerk1")
    counters.sign_in(Counter.get(Counter.number == 1).id, clerk)
    ticket = tickets.issue(office, "A", at=at(16, 50))
    calling.call_next(Counter.get(Counter.number == 1).id, user=clerk, at=at(16, 55))
    tickets.finish(ticket.id, user=clerk, at=at(16, 59))
    ratings.rate_by_phone(Ticket.get_by_id(ticket.id), 4, "Cảm ơn cán bộ",
                          at=at(4, 30, day=NEXT_DAY))  # 11.5 hours later
    assert [c["comment"] for c in comments.comments(office, DAY, DAY)] == ["Cảm ơn cán bộ"]
    assert comments.comments(office, NEXT_DAY, NEXT_DAY) == []
