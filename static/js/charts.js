// Draws the Plotly figures built on the server, on any page: <div class="plot" data-figure="ID">
// reads the JSON of <script type="application/json" id="ID">. No inline script (CSP).
(function () {
  "use strict";
  if (typeof window.Plotly === "undefined") {
    return;
  }
  document.querySelectorAll(".plot[data-figure]").forEach(function (element) {
    var source = document.getElementById(element.getAttribute("data-figure"));
    if (!source) {
      return;
    }
    var figure = JSON.parse(source.textContent);
    window.Plotly.newPlot(element, figure.data, figure.layout).then(function () {
      element.setAttribute("data-drawn", "true");
    });
  });
})();
