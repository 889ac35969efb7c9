/* Stimmen live screen: asks for the room's results every few seconds and, when anything shown has changed, fetches
   the page again and swaps its results region in place (one template for both), announcing the new number of
   participants politely. Polling pauses while the tab is hidden and ends once the workshop is closed.
   Without this file the Refresh link does the same by hand. */
(function () {
  "use strict";

  var INTERVAL = 5000;
  var region = document.getElementById("live-results");
  var announcement = document.getElementById("live-announcement");
  if (!region || !announcement || !window.fetch || !window.DOMParser) return;

  var timer = null;
  var running = false;

  function state() {
    return region.querySelector("[data-version]");
  }

  function finished() {
    var current = state();
    return !current || current.getAttribute("data-status") === "closed";
  }

  function announce(text) {
    announcement.textContent = "";
    window.setTimeout(function () { announcement.textContent = text; }, 100);
  }

  function get(url, type) {
    return window.fetch(url, { cache: "no-store", credentials: "same-origin", headers: { Accept: type } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return type === "application/json" ? response.json() : response.text();
      });
  }

  function swap() {
    return get(region.getAttribute("data-page"), "text/html").then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("live-results");
      if (!fresh) return;
      var before = state().getAttribute("data-participants");
      region.innerHTML = fresh.innerHTML; /* the server's own escaped markup, parsed without running scripts */
      var after = state();
      if (after && after.getAttribute("data-participants") !== before) announce(after.textContent.trim());
    });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = null;
    if (running || document.hidden || finished()) return;
    timer = window.setTimeout(poll, INTERVAL);
  }

  function poll() {
    running = true;
    get(region.getAttribute("data-results"), "application/json")
      .then(function (data) {
        if (data.version !== state().getAttribute("data-version")) return swap();
        return null;
      })
      .catch(function () { /* offline for a moment: try again at the next turn */ })
      .then(function () {
        running = false;
        schedule();
      });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      window.clearTimeout(timer);
      timer = null;
    } else if (!running && !finished()) {
      poll(); /* back on screen: catch up at once */
    }
  });

  schedule();
})();
