// Ticket tracking: live over Socket.IO /track; chime and vibration when called.
(function () {
  "use strict";
  var card = document.querySelector("[data-track]");
  if (!card || typeof io === "undefined") { return; }
  var texts = JSON.parse(card.getAttribute("data-texts"));
  var chime = card.querySelector("[data-chime]");
  var soundButton = card.querySelector("[data-sound]");
  var offline = card.querySelector("[data-offline]");
  var statusBox = card.querySelector("[data-field=status]");
  var last = { status: card.className.replace(/.*status-(\w+).*/, "$1"), recalls: null,
               service: card.getAttribute("data-service") };
  var english = card.getAttribute("data-lang") === "en";

  function fill(template, n) { return template.replace("{n}", String(n)); }
  function waitText(s) {
    var m = Math.round((s || 0) / 60);
    return m < 1 ? texts.less_than_minute : fill(texts.about_min, m);
  }
  function alertCitizen() {
    if (chime) { chime.currentTime = 0; chime.play().catch(function () { soundButton.hidden = false; }); }
    if (navigator.vibrate) { try { navigator.vibrate([400, 200, 400, 200, 400]); } catch (e) { /* not allowed */ } }
  }
  if (soundButton) {
    // Phones play sound only after a tap on the page: this tap unlocks the chime.
    soundButton.hidden = false;
    soundButton.addEventListener("click", function () {
      chime.muted = true;
      chime.play().then(function () { chime.pause(); chime.muted = false; soundButton.hidden = true; })
        .catch(function () { chime.muted = false; });
    });
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
    card.querySelector("[data-waiting-only]").hidden = s.status !== "waiting";
    card.querySelector("[data-field=ahead]").textContent = String(s.ahead);
    card.querySelector("[data-field=wait]").textContent = waitText(s.estimated_wait_s);
    var newlyCalled = s.status === "called" &&
      (last.status !== "called" || (last.recalls !== null && s.recall_count > last.recalls));
    if (newlyCalled) { alertCitizen(); document.title = p.textContent; }
    last = { status: s.status, recalls: s.recall_count, service: s.service };
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
    card.querySelector("[data-field=ahead]").textContent = String(place);
    card.querySelector("[data-field=wait]").textContent = waitText(place * data.per_ticket_s);
  });
  socket.on("connect", function () { offline.hidden = true; card.setAttribute("data-live", "connected"); });
  socket.on("disconnect", function () { offline.hidden = false; });
  // The message queue came back after an outage: reconnect for a fresh state.
  socket.on("resync", function () {
    setTimeout(function () { socket.disconnect(); socket.connect(); }, Math.random() * 3000);
  });

})();
