/* Call announcements: the chime, then the spoken call in each of the board's
   languages in turn. Calls queue: a second call never cuts off the first. The
   chime plays even with the voice off. When the browser blocks sound until a
   first click, a one-time "enable sound" button appears and the queue waits. */
(function () {
  "use strict";
  var MAX_PENDING = 10;          // an older backlog is stale news
  var CLIP_TIMEOUT_MS = 15000;   // a clip that never ends must not stall the queue

  function Announcer(options) {
    var self = this;
    this.chimeUrl = options.chimeUrl;
    this.speechUrl = options.speechUrl; // ".../LANG/NUMBER/0.wav"
    this.langs = options.langs;
    this.voice = options.voice;
    this.button = options.button;
    this.pending = [];
    this.playing = false;
    this.blocked = false;
    this.played = []; // the clips started, newest last (read by the browser tests)
    this.button.addEventListener("click", function () {
      self.blocked = false;
      self.button.hidden = true;
      self.pump();
    });
  }

  Announcer.prototype.clipUrls = function (call) {
    var urls = [this.chimeUrl], self = this;
    if (this.voice) {
      this.langs.forEach(function (lang) {
        urls.push(self.speechUrl.replace("/LANG/", "/" + encodeURIComponent(lang) + "/")
          .replace("/NUMBER/", "/" + encodeURIComponent(call.number) + "/")
          .replace(/\/0\.wav$/, "/" + encodeURIComponent(call.counter) + ".wav"));
      });
    }
    return urls;
  };

  Announcer.prototype.announce = function (call) {
    this.pending.push(call);
    if (this.pending.length > MAX_PENDING) {
      this.pending.splice(this.playing ? 1 : 0, this.pending.length - MAX_PENDING);
    }
    this.pump();
  };

  Announcer.prototype.pump = function () {
    if (this.playing || this.blocked || !this.pending.length) { return; }
    this.playing = true;
    // Create every clip now: the voice downloads while the chime plays.
    var clips = this.clipUrls(this.pending[0]).map(function (url) {
      var audio = new Audio(url);
      audio.preload = "auto";
      return audio;
    });
    this.play(clips, 0);
  };

  Announcer.prototype.play = function (clips, index) {
    var self = this;
    if (index >= clips.length) {
      this.pending.shift();
      this.playing = false;
      this.pump();
      return;
    }
    var audio = clips[index], settled = false, guard;
    function next() {
      if (settled) { return; }
      settled = true;
      clearTimeout(guard);
      self.play(clips, index + 1);
    }
    guard = setTimeout(next, CLIP_TIMEOUT_MS);
    audio.addEventListener("ended", next);
    audio.addEventListener("error", next); // no voice (engine missing): the chime was enough
    this.played.push(audio.src);
    if (this.played.length > 50) { this.played.shift(); }
    var started = audio.play();
    if (started && started.catch) {
      started.catch(function (err) {
        if (settled) { return; }
        if (err && err.name === "NotAllowedError") {
          // Autoplay blocked: keep the call first in line and ask for one click.
          settled = true;
          clearTimeout(guard);
          self.playing = false;
          self.blocked = true;
          self.button.hidden = false;
        } else {
          next();
        }
      });
    }
  };

  window.QueueDisplay = window.QueueDisplay || {};
  window.QueueDisplay.Announcer = Announcer;
})();
