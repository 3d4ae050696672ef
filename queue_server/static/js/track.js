// Ticket tracking: live over Socket.IO /track; chime and vibration when the turn is
// near and when called; a final state once the ticket ends.
(function () {
  "use strict";
  var card = document.querySelector("[data-track]");
  if (!card || typeof io === "undefined") { return; }
  var texts = JSON.parse(card.getAttribute("data-texts"));
  var near = parseInt(card.getAttribute("data-near"), 10);
  var chime = card.querySelector("[data-chime]");
  var soundButton = card.querySelector("[data-sound]");
  var soundOn = card.querySelector("[data-sound-on]");
  var offline = card.querySelector("[data-offline]");
  var statusBox = card.querySelector("[data-field=status]");
  var nearBox = card.querySelector("[data-field=near]");
  var last = { status: card.className.replace(/.*status-(\w+).*/, "$1"), recalls: null,
               service: card.getAttribute("data-service") };
  var english = card.getAttribute("data-lang") === "en";
  var warnedNear = false;
  var LIVE = ["waiting", "called", "serving"];

  function fill(template, n) { return template.replace("{n}", String(n)); }
  function waitText(s) { // the printed ticket's rule: whole minutes rounded up, at least 1
    if (s === null || s === undefined) { return "\u2014"; }
    return fill(texts.about_min, Math.max(1, Math.ceil(s / 60)));
  }
  function ring() {
    if (chime) { chime.currentTime = 0; chime.play().catch(function () { soundButton.hidden = false; }); }
    if (navigator.vibrate) { try { navigator.vibrate([400, 200, 400, 200, 400]); } catch (e) { /* not allowed */ } }
  }
  if (soundButton) {
    // Phones play sound only after a tap on the page: this tap unlocks the chime, and
    // the chime itself (and a line of text) confirms that sound is on.
    soundButton.hidden = false;
    soundButton.addEventListener("click", function () {
      chime.currentTime = 0;
      chime.play().then(function () {
        soundButton.hidden = true;
        soundOn.hidden = false;
        if (navigator.vibrate) { try { navigator.vibrate(200); } catch (e) { /* not allowed */ } }
      }).catch(function () { soundOn.hidden = true; });
    });
  }

  function showAhead(ahead, waitS) {
    card.querySelector("[data-field=ahead]").textContent = String(ahead);
    card.querySelector("[data-field=wait]").textContent = waitText(waitS);
    var isNear = last.status === "waiting" && near >= 0 && ahead <= near;
    nearBox.hidden = !isNear;
    if (isNear) {
      nearBox.textContent = ahead === 0 ? texts.near_next : fill(texts.near, ahead);
      if (!warnedNear) { warnedNear = true; ring(); }
    }
  }

  function render(s) {
    card.querySelector("[data-field=number]").textContent = s.number;
    var name = english && s.service_name_en ? s.service_name_en : s.service_name_vi;
    card.querySelector("[data-field=service]").textContent = name;
    if (s.service !== last.service) { // transferred: say so, and follow the new line
      var moved = card.querySelector("[data-field=moved]");
      moved.textContent = texts.moved.replace("{service}", name);
      moved.hidden = false;
      if (last.service !== null && socket) { socket.disconnect(); socket.connect(); }
    }
    card.className = card.className.replace(/status-\w+/, "status-" + s.status);
    var p = document.createElement("p");
    if (s.status === "called") { p.className = "your-turn"; p.textContent = fill(texts.your_turn, s.counter); }
    else {
      p.className = "state";
      p.textContent = s.status === "serving" ? fill(texts.serving, s.counter) : (texts[s.status] || s.status);
    }
    statusBox.replaceChildren(p);
    var live = LIVE.indexOf(s.status) >= 0;
    card.querySelectorAll("[data-waiting-only]").forEach(function (el) { el.hidden = s.status !== "waiting"; });
    card.querySelector("[data-live-only]").hidden = !live;
    card.querySelector("[data-final-only]").hidden = live;
    if (s.status === "done") { card.querySelector("[data-rate-link]").hidden = false; }
    var newlyCalled = s.status === "called" &&
      (last.status !== "called" || (last.recalls !== null && s.recall_count > last.recalls));
    last = { status: s.status, recalls: s.recall_count, service: s.service };
    showAhead(s.ahead, s.estimated_wait_s);
    if (newlyCalled) { ring(); document.title = p.textContent; }
  }

  var socket = null;
  socket = io("/track", { auth: { token: card.getAttribute("data-token") },
                              transports: ["websocket", "polling"] });
  socket.on("ticket_update", render);
  // The whole line of the service, in call order: our place is our number's index.
  socket.on("line_changed", function (data) {
    if (last.status !== "waiting") { return; }
    var place = data.line.indexOf(card.querySelector("[data-field=number]").textContent);
    if (place < 0) { return; }
    showAhead(place, place * data.per_ticket_s);
  });
  socket.on("connect", function () { offline.hidden = true; card.setAttribute("data-live", "connected"); });
  socket.on("disconnect", function () { offline.hidden = false; });
  // The message queue came back after an outage: reconnect for a fresh state.
  socket.on("resync", function () {
    setTimeout(function () { socket.disconnect(); socket.connect(); }, Math.random() * 3000);
  });
})();
