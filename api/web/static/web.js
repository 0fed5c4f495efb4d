// FactoryLedger web console: what every page shares (no framework, no build step).
(function () {
  "use strict";
  // A short tone through WebAudio: success high, failure low and longer (no sound file).
  let audio = null;
  window.flBeep = function (ok) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      const osc = audio.createOscillator(), gain = audio.createGain();
      osc.frequency.value = ok ? 1320 : 220;
      osc.type = ok ? "sine" : "square";
      gain.gain.value = 0.15;
      osc.connect(gain); gain.connect(audio.destination);
      osc.start(); osc.stop(audio.currentTime + (ok ? 0.12 : 0.45));
    } catch (e) { /* no audio device: the colour still tells */ }
  };
  window.flCsrf = function () { return document.body.dataset.csrf; };
  // htmx: show a refused request (4xx fragment) in #flash, follow HX-Redirect on 401.
  document.addEventListener("htmx:beforeSwap", function (ev) {
    const status = ev.detail.xhr.status;
    if (status >= 400 && status < 500) { ev.detail.shouldSwap = true; ev.detail.isError = false; }
  });
})();
