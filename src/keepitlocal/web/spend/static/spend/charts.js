// Draw each dashboard chart from the figure JSON the page carries (Plotly, served by this site).
// Selecting a bar or a point opens the ledger lines behind it; the tables beside each chart hold
// the same figures, with the same links, for anyone who cannot use the chart.
(function () {
  "use strict";
  if (!window.Plotly) { return; }
  document.querySelectorAll("[data-chart]").forEach(function (target) {
    var source = document.getElementById(target.getAttribute("data-chart"));
    if (!source) { return; }
    var figure = JSON.parse(source.textContent);
    if (!figure || !figure.data) { return; }
    target.classList.add("spend-chart--drawn");
    window.Plotly.newPlot(target, figure.data, figure.layout, {
      displayModeBar: false, responsive: true
    }).then(function () {
      target.on("plotly_click", function (event) {
        var point = event && event.points && event.points[0];
        if (point && point.customdata) { window.location.assign(point.customdata); }
      });
    });
  });
}());
