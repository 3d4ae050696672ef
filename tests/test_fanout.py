"""The frames ``queue_server.fanout`` writes are the ones wsproto would write."""
import pytest
from wsproto import ConnectionType
from wsproto.connection import Connection
from wsproto.events import TextMessage

from queue_server import fanout


@pytest.mark.parametrize("size", [0, 1, 125, 126, 400, 65535, 65536, 70000])
def test_a_frame_is_what_a_websocket_server_sends(size):
    text = ('42/display,["ticket_called",{"number":"A' + "ố" * size)[:size]
    server = Connection(ConnectionType.SERVER)
    assert fanout.frame(text) == server.send(TextMessage(data=text))
