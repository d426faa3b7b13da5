// Action plans: inline status and progress updates, drag-and-drop reordering, charts.
// Every form works without this script (plain POST and redirect); the script saves
// without reloading and announces the result in the page's live region.
(function () {
  "use strict";

  var live = document.getElementById("inline-status");

  function announce(message, isError) {
    if (!live) { return; }
    live.textContent = message;
    live.classList.toggle("inline-status-error", !!isError);
  }

  function badgeHtml(text, tone) {
    var span = document.createElement("span");
    span.className = "badge badge-" + tone;
    span.textContent = text;
    return span;
  }

  // Show the « motif » field only when « Abandonnée » is chosen.
  function syncReason(form) {
    var select = form.querySelector("select[name=status]");
    var reason = form.querySelector("[data-reason]");
    if (!select || !reason) { return; }
    var abandoned = select.value === "abandonnee";
    reason.hidden = !abandoned;
    var input = reason.querySelector("input");
    if (input) { input.required = abandoned; }
  }

  function refreshStatusOptions(form, allowed, current) {
    var select = form.querySelector("select[name=status]");
    if (!select || !allowed) { return; }
    select.innerHTML = "";
    allowed.forEach(function (pair) {
      var option = document.createElement("option");
      option.value = pair[0];
      option.textContent = pair[1];
      option.selected = pair[0] === current;
      select.appendChild(option);
    });
  }

  function updateRow(form, data) {
    var scope = form.closest("tr") || document;
    var holder = scope.querySelector(".status-badge");
    if (holder && data.status_label) {
      holder.innerHTML = "";
      holder.appendChild(badgeHtml(data.status_label, data.tone));
    }
    scope.querySelectorAll("progress").forEach(function (bar) { bar.value = data.progress; });
    scope.querySelectorAll(".progress-text").forEach(function (el) { el.textContent = data.progress + " %"; });
    scope.querySelectorAll("input[name=progress]").forEach(function (input) { input.value = data.progress; });
    scope.querySelectorAll("form[data-inline=status]").forEach(function (statusForm) {
      refreshStatusOptions(statusForm, data.allowed, data.status);
      syncReason(statusForm);
    });
  }

  document.querySelectorAll("form[data-inline]").forEach(function (form) {
    syncReason(form);
    var select = form.querySelector("select[name=status]");
    if (select) { select.addEventListener("change", function () { syncReason(form); }); }
    form.addEventListener("submit", function (event) {
      if (!window.fetch) { return; }
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      if (button) { button.disabled = true; }
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { "Accept": "application/json" },
        credentials: "same-origin"
      }).then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      }).then(function (result) {
        if (result.ok && result.data.ok) {
          updateRow(form, result.data);
          announce(result.data.message, false);
        } else {
          announce(result.data.error || "Erreur", true);
        }
      }).catch(function () {
        announce("La modification n'a pas pu être enregistrée : rechargez la page et recommencez.", true);
      }).then(function () {
        if (button) { button.disabled = false; }
      });
    });
  });

  // Drag-and-drop within one group × horizon table (the ↑ ↓ buttons do the same by keyboard).
  if (window.Sortable) {
    document.querySelectorAll("tbody[data-reorder-url]").forEach(function (body) {
      window.Sortable.create(body, {
        handle: ".drag-handle",
        animation: 150,
        onEnd: function () {
          var order = Array.prototype.map.call(body.querySelectorAll("tr[data-action-id]"), function (row) {
            return parseInt(row.getAttribute("data-action-id"), 10);
          });
          var token = document.querySelector("input[name=csrf_token]");
          fetch(body.getAttribute("data-reorder-url"), {
            method: "POST",
            headers: {
              "Content-Type": "application/json",
              "Accept": "application/json",
              "X-CSRFToken": token ? token.value : ""
            },
            credentials: "same-origin",
            body: JSON.stringify({ order: order })
          }).then(function (response) { return response.json(); })
            .then(function (data) { announce(data.message || data.error, !data.ok); })
            .catch(function () { announce("Le nouvel ordre n'a pas pu être enregistré.", true); });
        }
      });
    });
  }

  // Bulk form: show the fields of the chosen operation.
  var operation = document.getElementById("bulk-operation");
  if (operation) {
    var sync = function () {
      var owner = operation.value === "owner";
      document.getElementById("bulk-organisation").closest("div").hidden = !owner;
      document.getElementById("bulk-status").closest("div").hidden = owner;
      document.getElementById("bulk-reason").closest("div").hidden = owner;
    };
    operation.addEventListener("change", sync);
    sync();
  }

  // Plotly charts: the figure comes from a JSON block next to its container.
  if (window.Plotly) {
    document.querySelectorAll("[data-figure]").forEach(function (container) {
      var source = document.getElementById(container.getAttribute("data-figure"));
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      window.Plotly.newPlot(container, figure.data, figure.layout);
    });
  }
})();
