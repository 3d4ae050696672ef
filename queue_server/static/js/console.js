// Clerk console: one key per button (N, R, S, F, X, U, T, P), a running service timer,
// a question before a cancel, and a fresh view now and then.
(function () {
  "use strict";
  var typing = function (el) {
    return el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT");
  };
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    var key = event.key.toUpperCase();
    var button = document.querySelector('button[data-key="' + key + '"]:not([disabled])');
    if (!button) { return; }
    event.preventDefault();
    if (key === "T") {
      // Transfer needs a service chosen: go to the list first, Enter confirms.
      var select = button.form.querySelector("select");
      if (select && document.activeElement !== select) { select.focus(); return; }
    }
    button.form.requestSubmit(button);
  });
  // Cancelling a waiting ticket loses the citizen their place: ask first.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });
  // The timer counts from the call (or the start) on the server's clock.
  var desk = document.querySelector("[data-now]");
  var offset = desk ? Date.parse(desk.dataset.now) - Date.now() : 0;
  var timers = document.querySelectorAll("[data-timer]");
  function tick() {
    timers.forEach(function (el) {
      var s = Math.max(0, Math.floor((Date.now() + offset - Date.parse(el.dataset.since)) / 1000));
      var m = Math.floor(s / 60), r = s % 60;
      el.textContent = m + ":" + (r < 10 ? "0" : "") + r;
    });
  }
  if (timers.length) { tick(); setInterval(tick, 1000); }
  // The waiting list changes as citizens arrive: refresh while the clerk is idle.
  var idle = 0;
  ["pointerdown", "keydown", "input"].forEach(function (e) {
    document.addEventListener(e, function () { idle = 0; });
  });
  setInterval(function () { idle += 15; if (idle >= 30) { location.reload(); } }, 15000);
})();
