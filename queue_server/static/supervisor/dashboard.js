/* Keeps the supervisor dashboard live: each "dashboard" snapshot re-renders the page's
   tables, alerts and comments (the server rendered the first one). Words come from
   data-t-* attributes and data-texts (queue_server/alert_text.py). */
(function () {
  "use strict";
  var root = document.getElementById("dashboard");
  if (!root || typeof io === "undefined") { return; }
  var t = root.dataset;
  var texts = JSON.parse(t.texts || "{}");

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
  function minutes(s) { return texts.minutes.replace("%(n)s", String(Math.round((s || 0) / 60))); }
  // The page's language picks the name, as the server's service_name() does.
  function serviceName(s) { return t.locale === "en" && s.name_en ? s.name_en : s.name; }
  function pct(x) { return x === null || x === undefined ? "–" : Math.round(x * 100) + " %"; }
  var DURATIONS = {wait_over_target: ["value", "limit"], called_not_started: ["value"]};
  function message(a) {
    var values = Object.assign({}, a);
    (DURATIONS[a.kind] || []).forEach(function (k) { values[k] = minutes(a[k]); });
    if (values.state) { values.state = texts.states[values.state] || values.state; }
    return (texts.kinds[a.kind] || a.kind).replace(/\{(\w+)\}/g, function (_, k) {
      return values[k] === undefined || values[k] === null ? "–" : String(values[k]);
    });
  }
  function releaseForm(ticketId, number) {
    var form = document.createElement("form");
    form.method = "post";
    form.action = t.releaseUrl;
    form.className = "inline";
    [["csrf_token", t.csrf], ["ticket_id", ticketId]].forEach(function (pair) {
      var input = document.createElement("input");
      input.type = "hidden"; input.name = pair[0]; input.value = pair[1];
      form.appendChild(input);
    });
    var button = document.createElement("button");
    button.type = "submit"; button.className = "small"; button.textContent = t.tRelease;
    button.dataset.release = number;
    form.appendChild(button);
    return form;
  }
  function row(cells, cls) {
    var tr = document.createElement("tr");
    if (cls) { tr.className = cls; }
    cells.forEach(function (c) {
      var td = document.createElement("td");
      if (c instanceof Node) { td.appendChild(c); } else {
        td.textContent = c.text === undefined ? c : c.text;
        if (c.cls) { td.className = c.cls; }
      }
      tr.appendChild(td);
    });
    return tr;
  }
  function item(cls, text) {
    var li = document.createElement("li");
    if (cls) { li.className = cls; }
    var span = document.createElement("span");
    span.textContent = text;
    li.appendChild(span);
    return li;
  }
  function render(snap) {
    var services = document.getElementById("services");
    services.replaceChildren.apply(services, snap.services.map(function (s) {
      return row([s.code + " – " + serviceName(s), String(s.waiting), dur(s.longest_wait_s),
                  dur(s.estimated_wait_s), dur(s.target_wait_s)],
                 s.over_target || s.too_long || s.unserved ? "warn" : "");
    }));
    var counters = document.getElementById("counters");
    counters.replaceChildren.apply(counters, snap.counters.map(function (c) {
      return row([c.number + " " + c.name, {text: t["t" + c.state.charAt(0).toUpperCase() + c.state.slice(1)] || c.state, cls: "state state-" + c.state},
                  c.clerk || "–", c.ticket || "–", dur(c.busy_s),
                  c.ticket_id ? releaseForm(c.ticket_id, c.ticket) : ""]);
    }));
    var alerts = document.getElementById("alerts");
    var items = snap.alerts.map(function (a) {
      var li = item("alert alert-" + a.kind, message(a));
      li.dataset.kind = a.kind;
      if (a.kind === "counter_closed_with_ticket" || a.kind === "called_not_started") {
        li.appendChild(releaseForm(a.ticket, a.number));
      }
      return li;
    });
    if (!items.length) { items = [item("none", t.tNone)]; }
    alerts.replaceChildren.apply(alerts, items);
    var unserved = document.getElementById("unserved");
    unserved.hidden = !snap.unserved.length;
    unserved.querySelector("strong").textContent = snap.unserved.join(", ");
    var comments = document.getElementById("comments");
    if (snap.comments.length) {
      comments.replaceChildren.apply(comments, snap.comments.map(function (c) {
        var li = document.createElement("li");
        var score = document.createElement("span");
        score.className = "score score-" + c.score; score.textContent = c.score + "/4";
        var q = document.createElement("q"); q.textContent = c.comment;
        var small = document.createElement("small");
        small.textContent = [c.number, c.counter_name, c.clerk_name].filter(Boolean).join(" · ");
        li.append(score, " ", q, small);
        return li;
      }));
    }
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
