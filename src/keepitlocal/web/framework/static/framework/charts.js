// Draw each indicator's trend from the figures the page carries (Plotly, served by this site).
(function () {
  "use strict";
  var data = document.getElementById("framework-charts");
  if (!data || !window.Plotly) { return; }
  JSON.parse(data.textContent).forEach(function (chart) {
    var target = document.getElementById(chart.id);
    if (!target) { return; }
    window.Plotly.newPlot(target, chart.figure.data, chart.figure.layout, {
      displayModeBar: false, responsive: true
    });
  });
}());
