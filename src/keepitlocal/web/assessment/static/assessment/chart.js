// Draw the profile chart from the figure JSON the page carries (Plotly, served by this site).
(function () {
  "use strict";
  var data = document.getElementById("assessment-chart-data");
  var target = document.getElementById("assessment-chart");
  if (!data || !target || !window.Plotly) { return; }
  var figure = JSON.parse(data.textContent);
  window.Plotly.newPlot(target, figure.data, figure.layout, {
    displayModeBar: false, responsive: true
  });
}());
