// Small behaviours shared by every page. No inline script anywhere: the CSP forbids it.
(function () {
  "use strict";

  // Destructive actions ask for confirmation (forms carrying data-confirm).
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  // « Copier le lien » buttons.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var field = document.querySelector(button.getAttribute("data-copy"));
      field.select();
      if (navigator.clipboard) {
        navigator.clipboard.writeText(field.value);
      } else {
        document.execCommand("copy");
      }
      button.textContent = button.getAttribute("data-copied");  // in the page's language
    });
  });

  // « Tout cocher » / « Tout décocher » beside long checkbox lists: hidden without JavaScript.
  document.querySelectorAll("[data-check-all]").forEach(function (button) {
    var list = document.querySelector(button.getAttribute("data-check-all"));
    var checked = button.getAttribute("data-checked") === "true";
    button.hidden = false;
    button.addEventListener("click", function () {
      list.querySelectorAll("input[type=checkbox]").forEach(function (box) { box.checked = checked; });
    });
  });

  document.querySelectorAll("[data-select-on-focus]").forEach(function (field) {
    field.addEventListener("focus", function () { field.select(); });
  });

  // A table wider than the screen (a phone) scrolls inside its own box, not the whole page:
  // every table of the page sits in a .table-scroll; one that does scroll becomes a named
  // region reachable by keyboard (RGAA 7.3 and 12.8), named after its caption or its section.
  var tableLabel = document.currentScript.getAttribute("data-table-label");
  var scrollers = [];
  document.querySelectorAll("main table").forEach(function (table, index) {
    var box = table.closest(".table-scroll, .raci-scroll");
    if (!box) {
      box = document.createElement("div");
      box.className = "table-scroll";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    }
    if (!box.hasAttribute("role")) { scrollers.push(box); }
    var caption = table.querySelector("caption");
    var section = box.closest("section[aria-labelledby]");
    if (caption && !caption.id) { caption.id = "table-caption-" + index; }
    box.setAttribute("data-labelledby", caption ? caption.id : (section ? section.getAttribute("aria-labelledby") : ""));
  });
  function markScrollers() {
    scrollers.forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("role", "region");
        box.setAttribute("tabindex", "0");
        if (box.getAttribute("data-labelledby")) { box.setAttribute("aria-labelledby", box.getAttribute("data-labelledby")); }
        else { box.setAttribute("aria-label", tableLabel); }
      } else {
        ["role", "tabindex", "aria-labelledby", "aria-label"].forEach(function (name) { box.removeAttribute(name); });
      }
    });
  }
  markScrollers();
  window.addEventListener("resize", markScrollers);
})();
