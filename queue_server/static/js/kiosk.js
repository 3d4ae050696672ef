// Kiosk enhancements: one tap issues one ticket; every screen goes back to the start
// (in the office's language) by itself.
(function () {
  "use strict";
  var form = document.querySelector("[data-kiosk]");
  if (form) {
    form.addEventListener("submit", function () {
      // A second tap while the first is on its way would issue a second ticket.
      setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      }, 0);
    });
    // Untouched for a while: back to the start in the office's language, with fresh counts.
    var idleS = parseInt(form.getAttribute("data-idle"), 10) || 60;
    var idle = 0;
    ["pointerdown", "keydown"].forEach(function (e) {
      document.addEventListener(e, function () { idle = 0; });
    });
    setInterval(function () {
      idle += 1;
      if (idle >= idleS) { location.href = form.getAttribute("data-home"); }
    }, 1000);
  }
  var confirm = document.querySelector("[data-return]");
  if (confirm) {
    var left = parseInt(confirm.getAttribute("data-seconds"), 10) || 15;
    var out = confirm.querySelector("[data-left]");
    setInterval(function () {
      left -= 1;
      if (out && left >= 0) { out.textContent = String(left); }
      if (left <= 0) { location.href = confirm.getAttribute("data-return"); }
    }, 1000);
  }
})();
