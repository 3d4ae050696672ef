"""A lean Socket.IO board for the load test: the real protocol, less work per message.

The load test's 300 boards share one asyncio loop (and the server's two cores) with
the kiosks and clerks. python-socketio's ``AsyncClient`` decodes every message
twice (Engine.IO, then Socket.IO) and starts a task per message; at ~2,000 board
messages a second that was most of the load generator's own CPU, and its loop
lag is inside the call-to-board figure. This client speaks the same protocol to
the same server endpoint, as a browser's socket.io-client does over a websocket:
Engine.IO v4 open (``0{...}``), the Socket.IO namespace connect with ``auth``
(``40/display,{...}``), answers every ping (``2`` -> ``3``), decodes every event
(``42/display,[name, payload]``) with one ``json.loads`` and hands it over. A
refused connect, an unexpected close or a missed ping is an error, as before.
"""
import asyncio
import json

import aiohttp

EIO_OPEN, EIO_CLOSE, EIO_PING, EIO_PONG, EIO_MESSAGE = "0", "1", "2", "3", "4"
SIO_CONNECT, SIO_DISCONNECT, SIO_EVENT, SIO_CONNECT_ERROR = "0", "1", "2", "4"


class BoardClient:
    """One websocket to ``base``'s Socket.IO endpoint, joined to ``namespace``.

    ``on_event(name, payload)`` runs for every event; ``on_gone(reason)`` when the
    server or the network ends the connection before ``disconnect()``.
    """

    def __init__(self, http, base, namespace, on_event, on_gone):
        self.http, self.base, self.namespace = http, base, namespace
        self.on_event, self.on_gone = on_event, on_gone
        self.prefix = SIO_EVENT + namespace + ","  # "2/display," after the Engine.IO "4"
        self.ws, self.reader, self.closing = None, None, False

    async def connect(self, auth, timeout=15):
        """Open the websocket and join the namespace with ``auth``; a refusal raises."""
        url = self.base.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
        self.ws = await self.http.ws_connect(url, timeout=aiohttp.ClientWSTimeout(ws_close=5),
                                             autoping=True, heartbeat=None)
        opened = await asyncio.wait_for(self.ws.receive_str(), timeout)
        if not opened.startswith(EIO_OPEN):
            raise ConnectionError(f"no Engine.IO open packet: {opened[:80]!r}")
        await self.ws.send_str(EIO_MESSAGE + SIO_CONNECT + self.namespace + ","
                               + json.dumps(auth))
        await asyncio.wait_for(self._joined(), timeout)
        self.reader = asyncio.ensure_future(self._read())

    async def _joined(self):
        """Wait for the namespace's connect answer. python-socketio sends it after the
        connect handler returned, so the handler's own emits (the snapshot) come first."""
        while True:
            text = await self.ws.receive_str()
            if text == EIO_PING:
                await self.ws.send_str(EIO_PONG)
            elif text.startswith(EIO_MESSAGE + self.prefix):
                self._event(text)
            elif text.startswith(EIO_MESSAGE + SIO_CONNECT + self.namespace + ","):
                return
            else:
                raise ConnectionError(f"not joined to {self.namespace}: {text[:200]!r}")

    def _event(self, text):
        name, *args = json.loads(text[len(self.prefix) + 1:])
        self.on_event(name, args[0] if args else None)

    async def _read(self):
        reason = "closed by the server"
        try:
            async for message in self.ws:
                if message.type != aiohttp.WSMsgType.TEXT:
                    reason = f"websocket {message.type.name}"
                    break
                text = message.data
                if text.startswith(EIO_MESSAGE + self.prefix):
                    self._event(text)
                elif text == EIO_PING:
                    await self.ws.send_str(EIO_PONG)
                elif text.startswith((EIO_CLOSE, EIO_MESSAGE + SIO_DISCONNECT)):
                    reason = "disconnected by the server"
                    break
                else:
                    reason = f"unexpected packet {text[:80]!r}"
                    break
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            reason = f"{type(exc).__name__}"
        if not self.closing:
            self.on_gone(reason)

    async def disconnect(self):
        """Leave the namespace and close the websocket."""
        self.closing = True
        if self.ws is not None and not self.ws.closed:
            try:
                await self.ws.send_str(EIO_MESSAGE + SIO_DISCONNECT + self.namespace + ",")
            finally:
                await self.ws.close()
        if self.reader is not None:
            await self.reader
