// Clerk console: one key per button (N, R, S, F, X, T, P), and a fresh view now and then.
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
  // Queue lengths change as citizens arrive: refresh while the clerk is idle.
  var idle = 0;
  ["pointerdown", "keydown"].forEach(function (e) {
    document.addEventListener(e, function () { idle = 0; });
  });
  setInterval(function () { idle += 15; if (idle >= 30) { location.reload(); } }, 15000);
})();
