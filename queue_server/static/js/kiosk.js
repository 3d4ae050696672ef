// Kiosk enhancements: one tap issues one ticket; the confirmation counts down.
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
    // Keep the waiting counts fresh while nobody is touching the screen.
    var idle = 0;
    ["pointerdown", "keydown"].forEach(function (e) {
      document.addEventListener(e, function () { idle = 0; });
    });
    setInterval(function () { idle += 30; if (idle >= 60) { location.reload(); } }, 30000);
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
