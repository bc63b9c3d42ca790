/* The shared map: every element with data-kil-map becomes a Leaflet map of its points (JSON in
   the element named by data-points), clustered, with optional outlines (data-outlines, shaded
   when a feature has a `fill` property) and an optional tile layer (data-tiles). Markers are sized by income and coloured by band; each is a
   keyboard-reachable marker whose popup links to the organisation's page. */
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }
  var BANDS = ["micro", "small", "medium", "large", "major", "super-major"];

  function bandClass(band) {
    return "kil-band-" + (BANDS.indexOf(band) >= 0 ? band : "unknown");
  }

  /* 24 px at least (WCAG 2.5.8 target size), 40 px for the largest incomes. */
  function size(income) {
    if (!income || income <= 0) { return 24; }
    return Math.round(Math.max(24, Math.min(40, 4 * Math.log10(income) - 2)));
  }

  function text(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span.innerHTML;
  }

  function popup(point) {
    var income = point.income === null ? "income not given"
      : "£" + Math.round(point.income).toLocaleString("en-GB");
    var decile = point.decile ? "deprivation decile " + point.decile : "no decile";
    return "<strong>" + text(point.name) + "</strong><br>" + text(point.band) + ", " + income +
      "<br>" + decile + "<br><a class=\"govuk-link\" href=\"" + encodeURI(point.url) +
      "\">Open " + text(point.name) + "</a>";
  }

  function draw(element) {
    var points = JSON.parse(document.getElementById(element.dataset.points).textContent || "[]");
    if (!Array.isArray(points)) { points = []; }  /* a page that shows only an area */
    var map = L.map(element, { keyboard: true, zoomSnap: 0.5, maxZoom: 18, minZoom: 5, attributionControl: true });
    map.attributionControl.setPrefix("Leaflet");
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, {
        attribution: element.dataset.tileAttribution || "", maxZoom: 18
      }).addTo(map);
    }
    var bounds = null;
    if (element.dataset.outlines) {
      var outlines = JSON.parse(document.getElementById(element.dataset.outlines).textContent);
      /* A district with a `fill` property is shaded (a choropleth); the council's own has a
         heavier edge. The page gives the same figures in a table. */
      var layer = L.geoJSON(outlines, {
        interactive: false,
        style: function (feature) {
          var p = feature.properties || {};
          return { color: "#0b0c0c", weight: p.council ? 4 : (p.fill ? 1 : 2),
                   fillColor: p.fill || "#f3f2f1", fillOpacity: p.fill ? 0.85 : 0.5 };
        }
      }).addTo(map);
      if (outlines.features.length) { bounds = layer.getBounds(); }
      map.attributionControl.addAttribution("District boundaries: ONS, OGL v3.0; © Crown copyright and database right 2024");
    }
    var cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 80 });
    points.forEach(function (point) {
      var px = size(point.income);
      var marker = L.marker([point.lat, point.lon], {
        title: point.name + " (" + point.band + ")",
        keyboard: true,
        icon: L.divIcon({ className: "kil-map-marker " + bandClass(point.band), iconSize: [px, px] })
      });
      marker.bindPopup(popup(point));
      cluster.addLayer(marker);
    });
    map.addLayer(cluster);
    if (!bounds && points.length) { bounds = cluster.getBounds(); }
    if (bounds && bounds.isValid()) { map.fitBounds(bounds, { padding: [12, 12] }); }
    else { map.setView([54.5, -2.5], 6); }
    element.kilMap = map;
  }

  document.querySelectorAll("[data-kil-map]").forEach(draw);
}());
