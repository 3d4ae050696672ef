/* Keeps the supervisor dashboard live: each "dashboard" snapshot re-renders the page's
   tables (the server rendered the first one). Labels come from data-t-* attributes. */
(function () {
  "use strict";
  var root = document.getElementById("dashboard");
  if (!root || typeof io === "undefined") { return; }
  var t = root.dataset;

  // As the server writes it (queue_server/formatting.py): "45 giây", "15 phút", "1 giờ 5 phút".
  function dur(s) {
    if (s === null || s === undefined) { return "–"; }
    var n = function (x) { return x.toLocaleString(t.locale || undefined); };
    s = Math.max(0, Math.round(s));
    if (s < 60) { return t.durS.replace("{n}", n(s)); }
    var m = Math.round(s / 60), h = Math.floor(m / 60);
    m = m % 60;
    if (!h) { return t.durMin.replace("{n}", n(m)); }
    return (m ? t.durHMin.replace("{m}", n(m)) : t.durH).replace("{h}", n(h));
  }
  function pct(x) { return x === null || x === undefined ? "–" : Math.round(x * 100) + " %"; }
  function fill(template, a) {
    return template.replace("{s}", a.service).replace("{v}", a.kind === "over_target" ? dur(a.value) : a.value)
      .replace("{l}", a.kind === "over_target" ? dur(a.limit) : a.limit);
  }
  function row(cells, cls) {
    var tr = document.createElement("tr");
    if (cls) { tr.className = cls; }
    cells.forEach(function (c) {
      var td = document.createElement("td");
      td.textContent = c.text === undefined ? c : c.text;
      if (c.cls) { td.className = c.cls; }
      tr.appendChild(td);
    });
    return tr;
  }
  function render(snap) {
    var services = document.getElementById("services");
    services.replaceChildren.apply(services, snap.services.map(function (s) {
      return row([s.code + " – " + s.name, String(s.waiting), dur(s.longest_wait_s),
                  dur(s.estimated_wait_s), dur(s.target_wait_s)],
                 s.over_target || s.too_long ? "warn" : "");
    }));
    var counters = document.getElementById("counters");
    counters.replaceChildren.apply(counters, snap.counters.map(function (c) {
      return row([c.number + " " + c.name, {text: t["t" + c.state.charAt(0).toUpperCase() + c.state.slice(1)] || c.state, cls: "state state-" + c.state},
                  c.clerk || "–", c.ticket || "–", dur(c.busy_s)]);
    }));
    var alerts = document.getElementById("alerts");
    alerts.replaceChildren.apply(alerts, snap.alerts.map(function (a) {
      var li = document.createElement("li");
      li.textContent = fill(a.kind === "over_target" ? t.tOverTarget : t.tQueueLength, a);
      return li;
    }));
    document.getElementById("today-served").textContent = snap.today.served;
    document.getElementById("today-avg").textContent = dur(snap.today.wait_avg_s);
    document.getElementById("today-p90").textContent = dur(snap.today.wait_p90_s);
    document.getElementById("today-level").textContent = pct(snap.today.service_level);
  }

  var live = document.getElementById("live");
  var socket = io("/supervisor", {auth: {office: Number(t.office)}});
  socket.on("connect", function () { live.textContent = t.tLive; live.classList.add("on"); });
  socket.on("disconnect", function () { live.textContent = t.tOffline; live.classList.remove("on"); });
  socket.on("dashboard", render);
  // Waits grow while nothing happens: ask for a fresh snapshot every half minute.
  setInterval(function () { if (socket.connected) { socket.emit("refresh"); } }, 30000);
}());
