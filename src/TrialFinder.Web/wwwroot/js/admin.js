// Live sync progress on the admin console: polls /admin/progress; without JavaScript the page shows the state at load.
(function () {
  "use strict";
  var section = document.getElementById("sync-progress");
  if (!section) { return; }
  var running = section.querySelector("[data-progress-running]");
  var idle = section.querySelector("[data-progress-idle]");
  function set(name, value) {
    var el = section.querySelector("[data-field=" + name + "]");
    if (!el) { return; }
    if (name === "percent") { el.value = value; el.textContent = value + " %"; }
    else if (name === "cancelRequested") { el.hidden = !value; }
    else { el.textContent = value === null || value === undefined ? "?" : value; }
  }
  var wasRunning = !running.hidden;
  function poll() {
    fetch(section.dataset.progressUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (p) {
        if (!p) { return; }
        running.hidden = !p.running;
        idle.hidden = p.running;
        if (p.running) {
          ["kind", "runId", "pages", "estimatedPages", "studies", "expectedStudies", "studiesPerMinute", "elapsedSeconds", "remainingSeconds", "percent", "cancelRequested"]
            .forEach(function (k) { set(k, p[k]); });
        } else if (wasRunning) {
          set("percent", 100);
          window.location.reload();
          return;
        }
        wasRunning = p.running;
      })
      .catch(function () { /* try again on the next tick */ });
  }
  setInterval(poll, 1500);
  poll();
})();
