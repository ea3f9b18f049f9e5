// The trial page's map of sites (Leaflet, served from this site). The site list above stays the
// source of truth, so the page is still useful when map tiles cannot load.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || typeof L === "undefined") { return; }
  var sites = JSON.parse(el.dataset.sites || "[]");
  if (sites.length === 0) { return; }
  var map = L.map(el, { scrollWheelZoom: false });
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 18,
    attribution: "&copy; OpenStreetMap contributors"
  }).addTo(map);
  var bounds = [];
  sites.forEach(function (site) {
    var marker = L.marker([site.lat, site.lon], { title: site.name, alt: site.name }).addTo(map);
    marker.bindPopup(document.createTextNode(site.name));
    bounds.push([site.lat, site.lon]);
  });
  map.fitBounds(bounds, { maxZoom: 10, padding: [20, 20] });
})();
