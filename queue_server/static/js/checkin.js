// The kiosk's check-in: an on-screen keypad for the booking code (touch screens have no
// keyboard); a scanner types into the field as a keyboard does, then Enter.
(function () {
  "use strict";
  var pad = document.querySelector("[data-keypad]");
  var field = document.getElementById("code");
  if (!pad || !field) { return; }
  pad.hidden = false;
  pad.addEventListener("click", function (event) {
    var key = event.target.closest("[data-key]");
    if (!key) { return; }
    var value = field.value;
    if (key.getAttribute("data-key") === "back") {
      field.value = value.slice(0, -1);
    } else {
      if (value.replace(/-/g, "").length === 4 && value.indexOf("-") < 0) { value += "-"; }
      field.value = value + key.getAttribute("data-key");
    }
    field.focus();
  });
})();
