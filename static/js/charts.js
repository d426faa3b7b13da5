// The one chart drawer: Plotly figures built on the server, each in a JSON block,
// <div data-figure="ID"> reading <script type="application/json" id="ID">. No inline
// script (CSP). Loaded with plotly.js by templates/_plotly.html; draws the page's charts
// at once, and offers Charts.drawAll(scope) to the scripts that replace a part of the page
// (live.js) and Charts.plot(element, figure, config) to those that prepare their figure
// (frise.js). A chart drawn carries data-drawn="true".
(function () {
  "use strict";

  function plot(element, figure, config) {
    if (typeof window.Plotly === "undefined") { return null; }
    return window.Plotly.react(element, figure.data, figure.layout, config).then(function () {
      element.setAttribute("data-drawn", "true");
    });
  }

  function drawAll(scope) {
    (scope || document).querySelectorAll("[data-figure]").forEach(function (element) {
      var source = document.getElementById(element.getAttribute("data-figure"));
      if (source) { plot(element, JSON.parse(source.textContent)); }
    });
  }

  window.Charts = { plot: plot, drawAll: drawAll };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  } else {
    drawAll(document);
  }
})();
