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

  // One millimetre of this screen in CSS pixels, from its diagonal (?inches=, default
  // 32): the stylesheet keeps every text readable from 5 m (display.css, --mm).
  function measure() {
    var inches = Number(data.inches) || 32;
    var px = Math.sqrt(window.innerWidth * window.innerWidth + window.innerHeight * window.innerHeight);
    document.documentElement.style.setProperty("--mm", (px / (inches * 25.4)).toFixed(4) + "px");
  }
  measure();

  // What is highlighted is what is being said: the announcer flashes the row of the
  // call it starts to speak (bunched calls are spoken newest first, see announcer.js).
  function highlight(call) {
    var rows = document.querySelectorAll("#current .call");
    for (var i = 0; i < rows.length; i += 1) {
      if (rows[i].dataset.number === call.number && rows[i].dataset.counter === String(call.counter)) {
        window.QueueDisplay.flash(rows[i]);
        return;
      }
    }
  }

  var announcer = new window.QueueDisplay.Announcer({
    chimeUrl: data.chimeUrl, speechUrl: data.speechUrl, langs: langs,
    voice: data.voice !== "off", button: document.getElementById("enable-sound"),
    onSpeak: highlight
  });

  // Rows that would not fit whole are hidden (never half a number on screen).
  function fit(list) {
    var box = list.getBoundingClientRect();
    Array.prototype.forEach.call(list.children, function (row) { row.classList.remove("over"); });
    Array.prototype.forEach.call(list.children, function (row) {
      if (row.getBoundingClientRect().bottom > box.bottom + 1) { row.classList.add("over"); }
    });
  }
  function fitAll() {
    var now = document.querySelector(".now"), recent = document.querySelector(".recent");
    [[document.getElementById("current"), now], [document.getElementById("recent"), recent]]
      .forEach(function (pair) {
        var list = pair[0], section = pair[1];
        list.style.maxHeight = Math.max(0, section.getBoundingClientRect().bottom -
                                        list.getBoundingClientRect().top) + "px";
        fit(list);
      });
    // No whole row of recent calls fits (the called numbers need the room): no half heading.
    var recentList = document.getElementById("recent");
    recent.classList.toggle("cramped", recentList.children.length > 0 &&
      !recentList.querySelector("li:not(.over)"));
  }
  window.addEventListener("resize", function () { measure(); fitAll(); });

  function node(tag, className, text) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (text !== undefined) { el.textContent = text; }
    return el;
  }

  function callRow(call, tag, withSpaces) {
    var row = node(tag, tag === "li" && !withSpaces ? "call" : "");
    row.dataset.counter = call.counter;
    row.dataset.number = call.number;
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
    fitAll();
  }

  function renderRecent() {
    var list = document.getElementById("recent");
    list.replaceChildren();
    state.recent.forEach(function (call) { list.appendChild(callRow(call, "li", true)); });
    fitAll();
  }

  function renderWaiting() {
    var table = document.getElementById("waiting");
    table.replaceChildren();
    state.waiting.forEach(function (row) {
      var tr = node("tr"), th = node("th");
      th.scope = "row";
      th.appendChild(node("span", "code", row.service));
      th.appendChild(document.createTextNode(" "));
      th.appendChild(node("span", "name", langs[0] === "en" ? row.name_en : row.name_vi));
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

  var handlers = {
    snapshot: function (snapshot) {
      state = snapshot;
      clockOffsetMs = Date.parse(snapshot.server_time) - Date.now() || 0;
      renderCurrent();
      renderRecent();
      renderWaiting();
      renderNotice(snapshot.office.notice);
      fitAll();
    },
    ticket_called: function (call) {
      // One call per counter at a time; the newest call goes on top and flashes.
      state.current = [call].concat(state.current.filter(function (c) {
        return c.counter !== call.counter;
      }));
      // A number is listed once: a transferred ticket called again keeps only its newest call.
      state.recent = [call].concat(state.recent.filter(function (c) {
        return c.number !== call.number;
      })).slice(0, recentMax);
      renderCurrent();
      renderRecent();
      if (!announcer.announce(call)) { highlight(call); } // no sound yet: flash it now
    },
    queue_changed: function (payload) {
      state.waiting = payload.waiting;
      renderWaiting();
      fitAll();
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
    var date = document.getElementById("date"), day;
    try {  // the office's calendar day; a new one after midnight replaces the date shown
      day = now.toLocaleDateString("en-CA", { timeZone: data.timezone });
    } catch (err) { day = now.toLocaleDateString("en-CA"); }
    if (date.dataset.day !== day) {
      date.dataset.day = day;
      try {
        date.textContent = now.toLocaleDateString(langs[0], { weekday: "long", day: "2-digit",
          month: "2-digit", year: "numeric", timeZone: data.timezone });
      } catch (err) { date.textContent = now.toLocaleDateString(langs[0]); }
    }
  }
  tickClock();
  setInterval(tickClock, 1000);

  var auth = { office: Number(data.office), recent: recentMax };
  if (data.zone) { auth.zone = data.zone; }
  if (data.key) { auth.key = data.key; }
  window.QueueDisplay.socket = window.QueueDisplay.connect(auth, handlers, { strict: !data.zone });
  window.QueueDisplay.announcer = announcer;
})();
