/* Call announcements: the chime, then the spoken call in each of the board's languages.
   Announcements never fall behind the board (docs/display.md, "When calls bunch"):
   - a call being spoken is never cut off mid-clip, but a newer call stops it after
     the clip that is playing (its other languages are skipped);
   - waiting calls are spoken newest first, after one chime, in the first language only
     (merged), at most MAX_PENDING of them; older ones, and any call older than
     STALE_MS or superseded by a newer call at the same counter, are dropped: they are
     on the screen already;
   - the board highlights each call as it starts to be spoken (options.onSpeak).
   The chime plays even with the voice off. When the browser blocks sound until a first
   click, a one-time "enable sound" button appears and the queue waits. */
(function () {
  "use strict";
  var MAX_PENDING = 4;           // waiting calls kept (the giant list's four): the bound
  var STALE_MS = 30000;          // a call not yet spoken after this is old news
  var CLIP_TIMEOUT_MS = 15000;   // a clip that never ends must not stall the queue

  function Announcer(options) {
    var self = this;
    this.chimeUrl = options.chimeUrl;
    this.speechUrl = options.speechUrl; // ".../LANG/NUMBER/0.wav"
    this.langs = options.langs;
    this.voice = options.voice;
    this.button = options.button;
    this.onSpeak = options.onSpeak || function () {};
    this.pending = [];    // [{call, at}] not started yet, oldest first
    this.playing = false;
    this.cutShort = false; // a newer call came: end the current batch after this clip
    this.blocked = false;
    this.batch = null;    // the clips in play: [{url, call}]
    this.played = []; // the clips started, newest last (read by the browser tests)
    this.dropped = 0; // calls never spoken because newer ones came (read by the tests)
    this.button.addEventListener("click", function () {
      self.blocked = false;
      self.button.hidden = true;
      self.pump();
    });
  }

  Announcer.prototype.speechClip = function (call, lang) {
    return this.speechUrl.replace("/LANG/", "/" + encodeURIComponent(lang) + "/")
      .replace("/NUMBER/", "/" + encodeURIComponent(call.number) + "/")
      .replace(/\/0\.wav$/, "/" + encodeURIComponent(call.counter) + ".wav");
  };

  /* The clips for calls (newest first): one chime, then each call in every language
     when it is alone, in the first language only when several are merged. */
  Announcer.prototype.clips = function (calls) {
    var clips = [{ url: this.chimeUrl, call: calls[0] }], self = this;
    if (!this.voice) { return clips; }
    var langs = calls.length > 1 ? this.langs.slice(0, 1) : this.langs;
    calls.forEach(function (call) {
      langs.forEach(function (lang) { clips.push({ url: self.speechClip(call, lang), call: call }); });
    });
    return clips;
  };

  /* Queue a call; true when it will be highlighted as it is spoken, false when sound
     is blocked (the board highlights it at once). */
  Announcer.prototype.announce = function (call) {
    this.pending = this.pending.filter(function (p) { return p.call.counter !== call.counter; });
    this.pending.push({ call: call, at: Date.now() });
    while (this.pending.length > MAX_PENDING) { this.pending.shift(); this.dropped += 1; }
    if (this.playing) { this.cutShort = true; }
    this.pump();
    return !this.blocked;
  };

  Announcer.prototype.idle = function () {
    return !this.playing && !this.pending.length;
  };

  Announcer.prototype.pump = function () {
    if (this.playing || this.blocked || !this.pending.length) { return; }
    var now = Date.now(), self = this;
    var fresh = this.pending.filter(function (p) { return now - p.at <= STALE_MS; });
    this.dropped += this.pending.length - fresh.length;
    this.pending = [];
    if (!fresh.length) { return; }
    var entries = fresh.slice().reverse(); // newest first
    var calls = entries.map(function (p) { return p.call; });
    this.playing = true;
    this.cutShort = false;
    this.entries = entries;
    // Create every clip now: the voice downloads while the chime plays.
    this.batch = this.clips(calls).map(function (clip) {
      var audio = new Audio(clip.url);
      audio.preload = "auto";
      return { audio: audio, call: clip.call, entry: entries[calls.indexOf(clip.call)] };
    });
    this.spoken = null;
    this.play(0, calls);
  };

  Announcer.prototype.finish = function () {
    if (this.cutShort) { // calls of this batch not voiced yet wait again, before the newer ones
      var newer = this.pending;
      var unspoken = this.entries.filter(function (p) {
        return !p.voiced && !newer.some(function (n) { return n.call.counter === p.call.counter; });
      }).reverse();
      this.pending = unspoken.concat(this.pending);
      while (this.pending.length > MAX_PENDING) { this.pending.shift(); this.dropped += 1; }
    }
    this.playing = false;
    this.batch = null;
    this.entries = [];
    this.pump();
  };

  Announcer.prototype.play = function (index, calls) {
    var self = this;
    if (index >= this.batch.length || (this.cutShort && index > 0)) {
      this.finish();
      return;
    }
    var clip = this.batch[index], audio = clip.audio, settled = false, guard;
    if (clip.call !== this.spoken) { this.spoken = clip.call; this.onSpeak(clip.call); }
    if (index > 0 || !this.voice) { clip.entry.voiced = true; }
    function next() {
      if (settled) { return; }
      settled = true;
      clearTimeout(guard);
      self.play(index + 1, calls);
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
          // Autoplay blocked: keep the calls first in line and ask for one click.
          settled = true;
          clearTimeout(guard);
          self.pending = calls.slice().reverse().map(function (call) {
            return { call: call, at: Date.now() };
          }).concat(self.pending).slice(-MAX_PENDING);
          self.playing = false;
          self.batch = null;
          self.entries = [];
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
