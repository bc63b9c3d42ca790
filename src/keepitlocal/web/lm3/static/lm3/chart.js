// Draw the results chart from the figure JSON the page carries (Plotly, served by this site).
(function () {
  "use strict";
  var data = document.getElementById("lm3-chart-data");
  var target = document.getElementById("lm3-chart");
  if (!data || !target || !window.Plotly) { return; }
  var figure = JSON.parse(data.textContent);
  target.classList.add("lm3-chart--drawn");
  window.Plotly.newPlot(target, figure.data, figure.layout, {
    displayModeBar: false, responsive: true, staticPlot: false
  });
}());
