/* Shared by boards and counter displays: one /display socket that heals by itself.
   socket.io reconnects after a network loss or a server restart; the server then
   sends a fresh "snapshot", so the page converges without a reload. */
(function () {
  "use strict";
  var REFUSED_RETRY_MS = 10000; // a refused connect (e.g. server still starting) is retried

  function connect(auth, handlers) {
    var mark = document.getElementById("reconnecting");
    var socket = io("/display", {
      auth: auth,
      // A restarted server is found within a few seconds, without hammering it.
      reconnectionDelay: 500,
      reconnectionDelayMax: 3000,
      timeout: 5000
    });
    socket.on("connect", function () { mark.hidden = true; });
    socket.on("disconnect", function () { mark.hidden = false; });
    socket.on("connect_error", function () {
      mark.hidden = false;
      // After a refusal socket.io stops retrying; try again later rather than stay dark.
      if (!socket.active) { setTimeout(function () { socket.connect(); }, REFUSED_RETRY_MS); }
    });
    Object.keys(handlers).forEach(function (event) { socket.on(event, handlers[event]); });
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
