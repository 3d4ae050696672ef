/* Shared by boards and counter displays: one /display socket that heals by itself
   and converges on the truth (docs/display.md, "Converging").
   - socket.io reconnects after a network loss or a server restart; the server then
     sends a fresh "snapshot".
   - Every message carries the office's "seq". One already in the snapshot is ignored;
     on a whole-office board (options.strict) a skipped number means a message was
     missed: the board asks for a snapshot ("resync").
   - "sync" beats carry the office's current seq: a screen behind it asks for a snapshot;
     "refresh" (the office's set-up changed) and "resync" (the message queue came back)
     ask for one too, after a random pause so a hall of boards does not ask at once.
   - Three beats without a word: the socket is reconnected. */
(function () {
  "use strict";
  var REFUSED_RETRY_MS = 10000; // a refused connect (e.g. server still starting) is retried

  function connect(auth, handlers, options) {
    options = options || {};
    var mark = document.getElementById("reconnecting");
    var query = {};
    ["office", "counter", "key"].forEach(function (name) {
      if (auth[name] !== undefined) { query[name] = String(auth[name]); }
    });
    var socket = io("/display", {
      auth: auth,
      query: query, // the display key is checked at the handshake, before the upgrade
      // A restarted server is found within a few seconds, without hammering it.
      reconnectionDelay: 500,
      reconnectionDelayMax: 3000,
      timeout: 5000
    });
    var lastSeq = null, lastHeard = Date.now(), syncMs = 10000, asked = false;

    function askSnapshot(maxDelayMs) {
      if (asked) { return; }
      asked = true;
      setTimeout(function () { socket.emit("resync"); }, Math.random() * (maxDelayMs || 0));
    }

    function heard(message) { // true when the message is new and should be applied
      lastHeard = Date.now();
      if (!message || typeof message.seq !== "number" || lastSeq === null) { return true; }
      if (message.seq <= lastSeq) { return false; } // the snapshot has it already
      if (options.strict && message.seq > lastSeq + 1) { askSnapshot(0); }
      lastSeq = message.seq;
      return true;
    }

    socket.on("connect", function () { mark.hidden = true; lastHeard = Date.now(); });
    socket.on("disconnect", function () { mark.hidden = false; });
    socket.on("connect_error", function () {
      mark.hidden = false;
      // After a refusal socket.io stops retrying; try again later rather than stay dark.
      if (!socket.active) { setTimeout(function () { socket.connect(); }, REFUSED_RETRY_MS); }
    });
    socket.on("snapshot", function (snapshot) {
      lastSeq = typeof snapshot.seq === "number" ? snapshot.seq : null;
      lastHeard = Date.now();
      asked = false;
      if (snapshot.sync_s !== undefined) { syncMs = Number(snapshot.sync_s) * 1000; }
      if (handlers.snapshot) { handlers.snapshot(snapshot); }
    });
    socket.on("sync", function (beat) {
      lastHeard = Date.now();
      if (lastSeq !== null && beat.seq > lastSeq) { askSnapshot(1000); }
    });
    socket.on("refresh", function (message) { if (heard(message)) { askSnapshot(2000); } });
    socket.on("resync", function () { lastHeard = Date.now(); askSnapshot(3000); });
    Object.keys(handlers).forEach(function (event) {
      if (event === "snapshot") { return; }
      socket.on(event, function (message) { if (heard(message)) { handlers[event](message); } });
    });
    setInterval(function () {
      if (syncMs > 0 && socket.connected && Date.now() - lastHeard > 3 * syncMs) {
        lastHeard = Date.now();
        socket.disconnect();
        socket.connect();
      }
    }, 5000);
    return socket;
  }

  /* Replay a CSS animation on an element (a recall flashes the same row again). */
  function flash(node) {
    if (!node) { return; }
    node.classList.remove("flash");
    void node.offsetWidth; // force a reflow so the animation starts over
    node.classList.add("flash");
  }

  window.QueueDisplay = window.QueueDisplay || {};
  window.QueueDisplay.connect = connect;
  window.QueueDisplay.flash = flash;
})();
