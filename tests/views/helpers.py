"""Small helpers for the screen tests: sign in, take a counter, read a ticket."""
import re

from tests.factories import PASSWORD


def sign_in(client, username, counter=None):
    """Sign ``username`` in through the form; with ``counter`` (a number) take that counter."""
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.data
    if counter is not None:
        from queue_server.models import Counter

        response = client.post("/counter/sign-in",
                               data={"counter_id": Counter.get(Counter.number == counter).id})
        assert response.status_code == 302


def take_ticket(client, service="A", priority="", office_id=1):
    """Issue through the kiosk form; returns the tracking token."""
    response = client.post(f"/kiosk/{office_id}", data={"service": service, "priority": priority})
    assert response.status_code == 302, response.data
    return re.search(r"/ticket/([^?]+)", response.location).group(1)


def current_ticket_id(html):
    """The ticket id the console's buttons act on."""
    found = re.search(r'name="ticket_id" value="(\d+)"', html)
    return int(found.group(1)) if found else None
