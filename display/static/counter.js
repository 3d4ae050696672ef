/* The display above a counter: the number it serves, or that it is paused or closed.
   Events (/display namespace): snapshot, ticket_called (flashes, also on a recall),
   counter_changed. */
(function () {
  "use strict";
  var data = document.body.dataset;
  var counterId = Number(data.counterId);

  function show(counter) {
    document.body.className = "counter-display state-" + counter.state;
    document.getElementById("number").textContent = counter.number || "";
    var text = counter.number ? data.textServing
      : { paused: data.textPaused, closed: data.textClosed }[counter.state] || data.textOpen;
    document.getElementById("state").textContent = text;
  }

  var auth = { counter: counterId };
  if (data.key) { auth.key = data.key; }
  window.QueueDisplay.socket = window.QueueDisplay.connect(auth, {
    snapshot: function (snapshot) { show(snapshot.counter); },
    ticket_called: function (call) {
      show({ state: "open", number: call.number });
      window.QueueDisplay.flash(document.querySelector(".desk"));
    },
    counter_changed: function (counter) {
      if (counter.id === counterId) { show(counter); }
    }
  });
})();
