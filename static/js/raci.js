// RACI grid: each <select> is saved as soon as it changes (BackgroundSave), with the version
// of its cell on the page; then the live validation is redrawn. A cell whose save failed
// stays marked with « Réessayer »; a cell a colleague changed meanwhile shows their letter and
// who changed it. Without JavaScript the whole form is posted (never putting back a cell a
// colleague changed: the hidden version-… and was-… fields say what the page showed).
(function () {
  "use strict";

  var form = document.querySelector("form.raci-form");
  if (!form || !window.BackgroundSave) { return; }
  var url = form.getAttribute("data-cell-url");
  var status = document.getElementById("raci-status");
  var report = document.getElementById("raci-report");
  var hint = form.querySelector(".raci-autosave-hint");
  if (hint) { hint.hidden = false; }
  // Each cell is saved as it changes: the whole-grid button (without JavaScript) would
  // contradict the hint beside it.
  var save = form.querySelector(".raci-save");
  if (save) { save.hidden = true; }

  function field(name) { return form.elements.namedItem(name); }

  function updateRows(problems) {
    var withProblems = {};
    problems.forEach(function (problem) {
      if (problem.activity_id) { withProblems[problem.activity_id] = true; }
    });
    form.querySelectorAll("[data-row-status]").forEach(function (cell) {
      var problem = withProblems[cell.getAttribute("data-row-status")];
      var badge = document.createElement("span");
      badge.className = problem ? "badge badge-warning" : "badge badge-success";
      badge.textContent = form.getAttribute(problem ? "data-to-correct" : "data-complete");
      cell.replaceChildren(badge);
    });
  }

  // What the page now knows of a cell: its version and letter (for the next save, and for
  // the whole-grid form).
  function remember(suffix, data) {
    field("version-" + suffix).value = data.edit_version;
    field("was-" + suffix).value = data.letter;
  }

  form.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches("select[data-activity]")) { return; }
    var activity = select.getAttribute("data-activity");
    var actor = select.getAttribute("data-actor");
    var suffix = activity + "-" + actor;
    var chosen = select.value;
    var cell = select.closest("td");
    cell.setAttribute("data-letter", chosen);
    window.BackgroundSave.send({
      url: url,
      element: cell,
      status: status,
      subject: form.querySelector("label[for='" + select.id + "']").textContent,
      body: function () {
        var body = new FormData();
        body.append("activity_id", activity);
        body.append("actor_id", actor);
        body.append("letter", chosen);
        body.append("edit_version", field("version-" + suffix).value);
        return body;
      },
      saved: function (data) {
        remember(suffix, data);
        report.innerHTML = data.report_html;
        updateRows(data.report.problems);
        return data.message;
      },
      conflict: function (data) {
        remember(suffix, data);
        select.value = data.letter;
        cell.setAttribute("data-letter", data.letter);
      }
    });
  });
})();
