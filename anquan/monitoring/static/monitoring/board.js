// The live board (monitoring/board.html, docs/adr/0043-monitoring-live-board.md): every few seconds the page asks
// for its fragment with the ETag it holds; a 304 leaves the page alone, a 200 replaces the fragment. Polling stops
// while the tab is hidden and resumes (at once) when it is shown again. No inline script (CSP script-src 'self').
(function () {
  "use strict";

  function start(box) {
    const url = box.dataset.aqBoard;
    const every = Math.max(parseInt(box.dataset.interval, 10) || 5, 2) * 1000;
    const stamp = document.querySelector("[data-testid=board-refreshed]");
    let etag = box.dataset.etag || "";
    let busy = false;
    let timer = null;

    function shown(now) {
      if (stamp) {
        stamp.textContent = (stamp.dataset.label || "") + " " + now.toLocaleTimeString("zh-CN", {hour12: false});
      }
    }

    function poll() {
      if (busy || document.hidden) { return; }
      busy = true;
      fetch(url, {credentials: "same-origin", headers: {"If-None-Match": etag, "X-Requested-With": "fetch"}})
        .then(function (response) {
          if (response.status === 304) { shown(new Date()); return null; }
          if (!response.ok || response.redirected) { throw new Error("board " + response.status); }
          etag = response.headers.get("ETag") || "";
          return response.text();
        })
        .then(function (html) {
          if (html !== null) { box.innerHTML = html; box.dataset.etag = etag; shown(new Date()); }
        })
        .catch(function () { /* the next poll tries again */ })
        .finally(function () { busy = false; });
    }

    timer = window.setInterval(poll, every);
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) { poll(); }
    });
    window.addEventListener("pagehide", function () { window.clearInterval(timer); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-aq-board]").forEach(start);
  });
})();
