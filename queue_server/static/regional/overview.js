/* Keeps the region overview live: asks the overview API every second and redraws
   the rows in the server's order (offices needing attention first). */
(function () {
  "use strict";
  var root = document.getElementById("region-overview");
  if (!root) { return; }
  var t = root.dataset, body = document.getElementById("offices"), live = document.getElementById("live");
  var EVERY_MS = 1000;

  function dur(s) {
    if (s === null || s === undefined) { return "–"; }
    var m = Math.floor(s / 60), r = Math.floor(s % 60);
    return m + ":" + (r < 10 ? "0" : "") + r;
  }
  function pct(x) { return x === null || x === undefined ? "–" : Math.round(x * 100) + " %"; }
  function score(x) { return x === null || x === undefined ? "–" : x.toFixed(2); }
  var shown = {
    alerts: String, waiting: String, longest_wait_s: dur, open_counters: String, served: String,
    service_level: pct
  };

  function render(data) {
    var rows = {};
    Array.prototype.forEach.call(body.querySelectorAll("tr[data-office]"), function (tr) {
      rows[tr.dataset.office] = tr;
    });
    data.offices.forEach(function (o) {
      var tr = rows[String(o.office)];
      if (!tr) { return; }  // a new office appears on the next page load
      Object.keys(shown).forEach(function (k) {
        tr.querySelector('[data-field="' + k + '"]').textContent = shown[k](o[k]);
      });
      var sat = tr.querySelector('[data-field="satisfaction_score"]');
      sat.textContent = score(o.satisfaction_score) + (o.rated ? " " : "");
      if (o.rated) {
        var small = document.createElement("small");
        small.textContent = "(" + o.rated + ")";
        sat.appendChild(small);
      }
      tr.className = o.alerts ? "warn" : "";
      body.appendChild(tr);  // in the server's order
    });
    root.dataset.at = data.at;
  }

  function poll() {
    fetch(t.url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) {
        render(data);
        live.textContent = t.tLive; live.classList.add("on");
      })
      .catch(function () { live.textContent = t.tOffline; live.classList.remove("on"); })
      .then(function () { setTimeout(poll, EVERY_MS); });
  }
  poll();
}());
