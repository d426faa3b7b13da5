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
})();
