// RACI grid: each <select> is saved as soon as it changes (fetch with the CSRF header),
// then the live validation is redrawn. Without JavaScript the whole form is posted.
(function () {
  "use strict";

  var form = document.querySelector("form.raci-form");
  if (!form) { return; }
  var url = form.getAttribute("data-cell-url");
  var token = form.querySelector("input[name=csrf_token]").value;
  var status = document.getElementById("raci-status");
  var report = document.getElementById("raci-report");
  var hint = form.querySelector(".raci-autosave-hint");
  if (hint) { hint.hidden = false; }

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle("raci-status-error", Boolean(isError));
  }

  function updateRows(data) {
    var withProblems = {};
    data.problems.forEach(function (problem) {
      if (problem.activity_id) { withProblems[problem.activity_id] = true; }
    });
    form.querySelectorAll("[data-row-status]").forEach(function (cell) {
      var id = cell.getAttribute("data-row-status");
      var badge = document.createElement("span");
      if (withProblems[id]) {
        badge.className = "badge badge-warning";
        badge.textContent = "à corriger";
      } else {
        badge.className = "badge badge-success";
        badge.textContent = "complète";
      }
      cell.replaceChildren(badge);
    });
  }

  form.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches("select[data-activity]")) { return; }
    var body = new FormData();
    body.append("activity_id", select.getAttribute("data-activity"));
    body.append("actor_id", select.getAttribute("data-actor"));
    body.append("letter", select.value);
    select.closest("td").setAttribute("data-letter", select.value);
    say("Enregistrement…");
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (!result.ok || !result.data.ok) {
        say(result.data.error || "La case n'a pas pu être enregistrée.", true);
        return;
      }
      report.innerHTML = result.data.report_html;
      updateRows(result.data.report);
      var label = form.querySelector("label[for='" + select.id + "']").textContent;
      say(result.data.message + " " + label + " : " + (select.value || "aucun rôle") + ".");
    }).catch(function () {
      say("La case n'a pas pu être enregistrée : vérifiez la connexion puis utilisez « Enregistrer la grille ».", true);
    });
  });
})();
