// Progressive enhancements only: every page works without JavaScript.
(function () {
  "use strict";

  document.querySelectorAll(".js-only").forEach(function (el) { el.hidden = false; });

  // Focus the error summary so keyboard and screen-reader users hear what to fix.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  // Place autocomplete from the site's own gazetteer (no request leaves the server).
  var near = document.getElementById("field-near");
  var list = document.getElementById("place-suggestions");
  var lat = document.querySelector("[data-geo=lat]");
  var lon = document.querySelector("[data-geo=lon]");
  if (near && list) {
    var timer = null;
    near.addEventListener("input", function () {
      if (lat) { lat.value = ""; }
      if (lon) { lon.value = ""; }
      clearTimeout(timer);
      var q = near.value.trim();
      if (q.length < 2) { return; }
      timer = setTimeout(function () {
        fetch("/api/places?q=" + encodeURIComponent(q) + "&limit=8", { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (places) {
            list.replaceChildren.apply(list, places.map(function (p) {
              var option = document.createElement("option");
              option.value = p.label;
              return option;
            }));
          })
          .catch(function () { /* autocomplete is optional */ });
      }, 200);
    });
  }

  // "Use my location": the browser's geolocation fills lat/lon; the place box says so.
  var button = document.querySelector("[data-use-location]");
  var status = document.querySelector("[data-location-status]");
  if (button && navigator.geolocation && lat && lon) {
    button.addEventListener("click", function () {
      status.textContent = button.dataset.locating || "…";
      navigator.geolocation.getCurrentPosition(function (position) {
        lat.value = position.coords.latitude.toFixed(4);
        lon.value = position.coords.longitude.toFixed(4);
        if (near) { near.value = ""; }
        status.textContent = lat.value + ", " + lon.value;
      }, function () {
        status.textContent = button.dataset.failed || "";
      }, { timeout: 10000 });
    });
  } else if (button) {
    button.hidden = true;
  }
})();
