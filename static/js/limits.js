// Limits people can see: each text with a limit (data-limit, set by the form) shows « 120 /
// 2 000 caractères » as one types, and says how many are too many. The browser never cuts a
// paste (no maxlength): the server refuses an over-long text and keeps it on the page.
// Texts from the page: this script's data-count and data-over.
(function () {
  "use strict";

  var script = document.currentScript;
  var countText = script.getAttribute("data-count");
  var overText = script.getAttribute("data-over");
  var grouping = new Intl.NumberFormat(document.documentElement.lang || "fr");

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_match, key) {
      return grouping.format(values[key]);
    });
  }

  function update(field, counter) {
    var limit = parseInt(field.getAttribute("data-limit"), 10);
    var count = field.value.length;
    var over = count - limit;
    counter.textContent = over > 0 ? fill(overText, { over: over })
      : fill(countText, { count: count, limit: limit });
    counter.classList.toggle("text-limit-over", over > 0);
  }

  document.querySelectorAll("[data-limit]").forEach(function (field) {
    var counter = document.querySelector("[data-limit-for='" + field.id + "']");
    if (!counter) { return; }
    var described = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (described.indexOf(counter.id) < 0) {
      described.push(counter.id);
      field.setAttribute("aria-describedby", described.join(" "));
    }
    update(field, counter);
    field.addEventListener("input", function () { update(field, counter); });
  });
})();
