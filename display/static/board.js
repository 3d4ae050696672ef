/* The waiting-room board: the page arrives rendered; this keeps it live.
   Events (/display namespace): snapshot (full state, on every connect),
   ticket_called, queue_changed, counter_changed. */
(function () {
  "use strict";
  var data = document.body.dataset;
  var langs = (data.langs || "vi").split(",");
  var recentMax = Number(data.recent || 8);
  var state = { current: [], recent: [], waiting: [], counters: [] };
  var clockOffsetMs = Date.parse(data.serverTime) - Date.now() || 0;

  var announcer = new window.QueueDisplay.Announcer({
    chimeUrl: data.chimeUrl, speechUrl: data.speechUrl, langs: langs,
    voice: data.voice !== "off", button: document.getElementById("enable-sound")
  });

  function node(tag, className, text) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (text !== undefined) { el.textContent = text; }
    return el;
  }

  function callRow(call, tag, withSpaces) {
    var row = node(tag, tag === "li" && !withSpaces ? "call" : "");
    row.dataset.counter = call.counter;
    row.appendChild(node("span", "number", call.number));
    if (withSpaces) { row.appendChild(document.createTextNode(" ")); }
    row.appendChild(node("span", "arrow", "\u279c"));
    if (withSpaces) { row.appendChild(document.createTextNode(" ")); }
    row.appendChild(node("span", "counter", String(call.counter)));
    return row;
  }

  function renderCurrent() {
    var list = document.getElementById("current");
    list.replaceChildren();
    state.current.forEach(function (call) { list.appendChild(callRow(call, "li", false)); });
    if (!state.current.length) { list.appendChild(node("li", "empty", data.textEmpty)); }
  }

  function renderRecent() {
    var list = document.getElementById("recent");
    list.replaceChildren();
    state.recent.forEach(function (call) { list.appendChild(callRow(call, "li", true)); });
  }

  function renderWaiting() {
    var table = document.getElementById("waiting");
    table.replaceChildren();
    state.waiting.forEach(function (row) {
      var tr = node("tr"), th = node("th");
      th.scope = "row";
      th.appendChild(node("span", "code", row.service));
      th.appendChild(document.createTextNode(" " + (langs[0] === "en" ? row.name_en : row.name_vi)));
      tr.appendChild(th);
      tr.appendChild(node("td", "", String(row.waiting)));
      table.appendChild(tr);
    });
  }

  function renderNotice(text) {
    var footer = document.getElementById("notice");
    footer.querySelector("span").textContent = text || "";
    footer.hidden = !text;
  }

  function sameCall(a, b) { return a.number === b.number && a.counter === b.counter; }

  var handlers = {
    snapshot: function (snapshot) {
      state = snapshot;
      clockOffsetMs = Date.parse(snapshot.server_time) - Date.now() || 0;
      renderCurrent();
      renderRecent();
      renderWaiting();
      renderNotice(snapshot.office.notice);
    },
    ticket_called: function (call) {
      // One call per counter at a time; the newest call goes on top and flashes.
      state.current = [call].concat(state.current.filter(function (c) {
        return c.counter !== call.counter;
      }));
      state.recent = [call].concat(state.recent.filter(function (c) {
        return !sameCall(c, call);
      })).slice(0, recentMax);
      renderCurrent();
      renderRecent();
      window.QueueDisplay.flash(document.querySelector("#current .call"));
      announcer.announce(call);
    },
    queue_changed: function (payload) {
      state.waiting = payload.waiting;
      renderWaiting();
      // Counters whose ticket ended since the last update come with the counts.
      (payload.counters || []).forEach(handlers.counter_changed);
    },
    counter_changed: function (counter) {
      // The counter finished, passed on or closed: its number leaves "now serving".
      if (!counter.number) {
        state.current = state.current.filter(function (c) { return c.counter !== counter.counter; });
        renderCurrent();
      }
    }
  };

  function tickClock() {
    var now = new Date(Date.now() + clockOffsetMs);
    var text;
    try {
      text = now.toLocaleTimeString(langs[0], { hour: "2-digit", minute: "2-digit",
        hour12: false, timeZone: data.timezone });
    } catch (err) { // an unknown timezone name: the TV's own clock
      text = now.toLocaleTimeString(langs[0], { hour: "2-digit", minute: "2-digit", hour12: false });
    }
    document.getElementById("clock").textContent = text;
  }
  tickClock();
  setInterval(tickClock, 1000);

  var auth = { office: Number(data.office), recent: recentMax };
  if (data.zone) { auth.zone = data.zone; }
  if (data.key) { auth.key = data.key; }
  window.QueueDisplay.socket = window.QueueDisplay.connect(auth, handlers, { strict: !data.zone });
  window.QueueDisplay.announcer = announcer;
})();
