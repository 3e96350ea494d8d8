// Campaign Portal behaviour that htmx does not cover. Loaded as a file so
// the Content-Security-Policy can forbid inline script.
(function () {
  "use strict";

  // Deadline countdowns: the server renders the text; this keeps it current
  // while the page stays open.
  function formatLeft(ms) {
    if (ms <= 0) return "closed";
    var mins = Math.floor(ms / 60000);
    var days = Math.floor(mins / 1440);
    var hours = Math.floor((mins % 1440) / 60);
    var m = mins % 60;
    if (days > 0) return days + "d " + hours + "h left";
    if (hours > 0) return hours + "h " + m + "m left";
    return Math.max(m, 1) + "m left";
  }
  function tick(root) {
    var now = Date.now();
    (root || document).querySelectorAll("[data-countdown]").forEach(function (el) {
      var until = Date.parse(el.getAttribute("data-countdown"));
      if (isNaN(until)) return;
      var left = until - now;
      el.textContent = formatLeft(left);
      el.classList.toggle("soon", left > 0 && left < 48 * 3600 * 1000);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    tick();
    setInterval(tick, 30000);
  });
  document.addEventListener("htmx:afterSettle", function (e) { tick(e.target); });

  // A failed htmx request (network down, server error) says so instead of
  // silently doing nothing.
  function toast(msg) {
    var el = document.getElementById("toast");
    if (!el) return;
    el.textContent = msg;
    el.hidden = false;
    clearTimeout(el._timer);
    el._timer = setTimeout(function () { el.hidden = true; }, 6000);
  }
  document.addEventListener("htmx:responseError", function (e) {
    var status = e.detail.xhr ? e.detail.xhr.status : 0;
    if (status === 401) { window.location.href = "/login"; return; }
    toast(status === 403 ? "You are not allowed to do that." : "Something went wrong. Please try again.");
  });
  document.addEventListener("htmx:sendError", function () {
    toast("The portal could not be reached. Check your connection and try again.");
  });

  // Filter forms submit as the user types or toggles (debounced by htmx);
  // without JavaScript they still submit with their button.
})();
