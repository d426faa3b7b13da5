// The frise des partenariats: draws the Plotly figure from its JSON block, offers PNG/SVG
// downloads and full screen, and lets the board be reorganised by drag and drop.
(function () {
  "use strict";

  var chart = document.getElementById("frise-chart");
  var block = document.getElementById("frise-figure");
  if (chart && block && window.Plotly) {
    var figure = JSON.parse(block.textContent);
    var filename = chart.getAttribute("data-filename") || "frise";
    var config = {  // the frise's own buttons; the rest is static/js/plotly_config.js
      modeBarButtonsToRemove: ["zoom2d", "pan2d", "select2d", "lasso2d", "zoomIn2d",
                               "zoomOut2d", "autoScale2d", "resetScale2d"],
      toImageButtonOptions: { format: "png", filename: filename, scale: 2 }
    };
    var baseHeight = figure.layout.height;
    if (chart.closest(".frise-present")) {
      // Presentation to a board or to elected officials: large and readable from afar.
      figure.layout.height = Math.max(baseHeight, Math.round(window.innerHeight * 0.75));
      figure.layout.font = Object.assign({}, figure.layout.font, { size: 15 });
      figure.data.forEach(function (trace) {
        trace.textfont = Object.assign({}, trace.textfont, { size: 15 });
        trace.marker = Object.assign({}, trace.marker, { size: 18 });
      });
      baseHeight = figure.layout.height;
    }
    window.Charts.plot(chart, figure, config);

    var actions = document.querySelector(".frise-chart-actions");
    if (actions) { actions.hidden = false; }
    document.querySelectorAll("[data-frise-download]").forEach(function (button) {
      button.addEventListener("click", function () {
        window.Plotly.downloadImage(chart, {
          format: button.getAttribute("data-frise-download"),
          filename: filename,
          width: chart.clientWidth || 1200,
          height: figure.layout.height
        });
      });
    });
    var full = document.querySelector("[data-frise-fullscreen]");
    if (full && chart.requestFullscreen) {
      full.addEventListener("click", function () {
        chart.parentNode.requestFullscreen();
      });
      document.addEventListener("fullscreenchange", function () {
        var height = document.fullscreenElement ? window.screen.height - 160 : baseHeight;
        window.Plotly.relayout(chart, { height: Math.max(height, baseHeight) });
      });
    } else if (full) {
      full.hidden = true;
    }
  }

  // Board: drag a card to another lane or term; saved at once (BackgroundSave, with the
  // version of the partner on the page), then the page is redrawn. A move that failed, or
  // that a colleague's change made stale, stays marked on the card with « Réessayer ».
  var board = document.querySelector(".frise-board");
  if (board && window.Sortable && window.BackgroundSave) {
    var template = board.getAttribute("data-place-url-template");
    var status = document.getElementById("frise-board-status");
    board.querySelectorAll(".frise-drop").forEach(function (list) {
      window.Sortable.create(list, {
        group: "frise",
        animation: 150,
        filter: ".save-problem",
        preventOnFilter: false,
        onAdd: function (event) {
          var card = event.item;
          var level = event.to.getAttribute("data-level");
          var term = event.to.getAttribute("data-term");
          window.BackgroundSave.send({
            url: template.replace(/\/0\/place$/, "/" + card.getAttribute("data-entry") + "/place"),
            element: card,
            status: status,
            subject: card.firstChild.textContent.trim(),
            body: function () {
              var body = new FormData();
              body.append("level_id", level);
              body.append("term", term);
              body.append("edit_version", card.getAttribute("data-version"));
              return body;
            },
            saved: function (data) {
              card.setAttribute("data-version", data.edit_version);
              window.location.hash = "tableau-mural";
              window.location.reload();
              return data.message;
            },
            conflict: function (data) {
              card.setAttribute("data-version", data.edit_version);
            }
          });
        }
      });
    });
    if (window.location.hash === "#tableau-mural") {
      board.closest("details").open = true;
    }
  }
})();
