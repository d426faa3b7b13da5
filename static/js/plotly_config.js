// Plotly's one configuration (territorial/common/charts.py), read from the page's JSON block
// and applied before any chart is drawn: no « Share chart » button sending a territory's
// data to Plotly's cloud, no logo linking to Plotly's site. Loaded right after plotly.js.
(function () {
  "use strict";
  var block = document.getElementById("plotly-config");
  if (window.Plotly && block) {
    window.Plotly.setPlotConfig(JSON.parse(block.textContent));
  }
})();
