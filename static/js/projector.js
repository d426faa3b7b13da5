// Projector views (templates/sessions/live/projector/): the cards or the results take the
// screen that is left, in as many columns and as large a type as fit without scrolling;
// a board too full for the smallest type scrolls (by keyboard too: the region takes the
// focus). Fitted again when the polled content changes (« live:replaced », live.js) and
// when the window changes size.
(function () {
  "use strict";

  function fits(region, flow) {
    return flow.scrollWidth <= flow.clientWidth + 1 && flow.scrollHeight <= flow.clientHeight + 1 &&
      region.scrollHeight <= region.clientHeight + 1;
  }

  function fit(region) {
    var flow = region.querySelector(".projector-flow");
    if (!flow) { return; }
    var most = parseInt(region.getAttribute("data-fit-columns") ||
      String(Math.max(2, Math.floor(window.innerWidth / 200))), 10);
    var least = Math.min(most, parseInt(region.getAttribute("data-fit-min") || "1", 10));
    var screen = Math.min(window.innerHeight, window.innerWidth * 9 / 16);
    var largest = Math.round(screen / 18);
    var smallest = Math.max(11, Math.round(screen / 72));
    region.classList.remove("is-overflowing");
    for (var size = largest; size >= smallest; size = Math.min(size - 1, Math.floor(size * 0.93))) {
      for (var columns = least; columns <= most; columns++) {
        flow.style.setProperty("--fit-size", size + "px");
        flow.style.setProperty("--fit-columns", String(columns));
        if (fits(region, flow)) { return; }
      }
    }
    region.classList.add("is-overflowing");
  }

  function fitAll(scope) {
    (scope || document).querySelectorAll("[data-fit]").forEach(fit);
  }

  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () { fitAll(document); }, 100);
  });
  document.addEventListener("live:replaced", function (event) { fitAll(event.target); });
  fitAll(document);
})();
