// Action plans: inline status and progress updates, drag-and-drop reordering, charts.
// Every form works without this script (plain POST and redirect); the script saves in the
// background (BackgroundSave: « enregistré » only after a save that succeeded, a failed save
// stays marked with « Réessayer », a colleague's newer change is named and shown).
(function () {
  "use strict";

  var live = document.getElementById("inline-status");

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

  // The statuses allowed from the saved one (`current`, the option marked as saved); the one
  // shown is `chosen` when it is still allowed (a choice not yet sent), else the saved one.
  function refreshStatusOptions(form, allowed, current, chosen) {
    var select = form.querySelector("select[name=status]");
    if (!select || !allowed) { return; }
    var shown = allowed.some(function (pair) { return pair[0] === chosen; }) ? chosen : current;
    select.innerHTML = "";
    allowed.forEach(function (pair) {
      var option = document.createElement("option");
      option.value = pair[0];
      option.textContent = pair[1];
      option.defaultSelected = pair[0] === current;
      select.appendChild(option);
      option.selected = pair[0] === shown;
    });
  }

  // A status chosen or a progress typed but not yet sent (« Changer », « OK ») is the
  // user's: a save of the action's other form redraws around it, and the page counts it
  // among its changes not saved (data-unsaved, read by BackgroundSave's messages).
  function field(form) {
    return form.querySelector("select[name=status], input[name=progress]");
  }

  function savedValue(input) {
    if (input.tagName !== "SELECT") { return input.defaultValue; }
    var saved = Array.prototype.find.call(input.options, function (option) {
      return option.defaultSelected;
    }) || input.options[0];
    return saved ? saved.value : "";
  }

  function markPending(form) {
    var input = field(form);
    form.toggleAttribute("data-unsaved", Boolean(input) && input.value !== savedValue(input));
  }

  // The value the page must not put back to the saved one: not sent yet, or sent and not
  // saved yet (saving, failed, refused for a colleague's change: « Réessayer » sends it).
  function pendingValue(form) {
    var unsaved = form.hasAttribute("data-unsaved") || form.hasAttribute("data-save-state");
    return unsaved ? field(form).value : null;
  }

  // The action's saved state: badge, progress bar, and the version the next save carries.
  function showSaved(scope, data) {
    var holder = scope.querySelector(".status-badge");
    if (holder && data.status_label) {
      holder.replaceChildren(badgeHtml(data.status_label, data.tone));
    }
    scope.querySelectorAll("progress").forEach(function (bar) { bar.value = data.progress; });
    scope.querySelectorAll(".progress-text").forEach(function (el) { el.textContent = data.progress + " %"; });
    scope.querySelectorAll("input[name=edit_version]").forEach(function (input) { input.value = data.edit_version; });
    // « En retard » follows the status (a late action done or abandoned is late no more).
    scope.querySelectorAll("[data-overdue]").forEach(function (late) { late.hidden = !data.overdue; });
    showTotals(document.querySelector("[data-plan-totals]"), data.totals);
    // The action's page: its « Historique » with the change just saved (or a colleague's).
    var history = document.querySelector("[data-history]");
    if (history && data.history) { history.outerHTML = data.history; }
  }

  // The plan's figures by status, as the server counts them after the save.
  function showTotals(list, totals) {
    if (!list || !totals) { return; }
    list.replaceChildren.apply(list, totals.map(function (pair) {
      var item = document.createElement("li");
      var count = document.createElement("strong");
      count.textContent = pair[0];
      item.append(count, " " + pair[1]);
      return item;
    }));
  }

  // After a save: the forms too show the saved values, but for a value not yet sent.
  function updateRow(scope, data) {
    showSaved(scope, data);
    scope.querySelectorAll("form[data-inline=progress]").forEach(function (progressForm) {
      var input = field(progressForm);
      var typed = pendingValue(progressForm);
      input.defaultValue = data.progress;
      input.value = typed === null ? data.progress : typed;
      markPending(progressForm);
    });
    scope.querySelectorAll("form[data-inline=status]").forEach(function (statusForm) {
      refreshStatusOptions(statusForm, data.allowed, data.status, pendingValue(statusForm));
      syncReason(statusForm);
      markPending(statusForm);
    });
  }

  document.querySelectorAll("form[data-inline]").forEach(function (form) {
    syncReason(form);
    var select = form.querySelector("select[name=status]");
    if (select) { select.addEventListener("change", function () { syncReason(form); }); }
    form.addEventListener("input", function () { markPending(form); });
    form.addEventListener("change", function () { markPending(form); });
    form.addEventListener("submit", function (event) {
      if (!window.fetch || !window.BackgroundSave) { return; }
      event.preventDefault();
      form.removeAttribute("data-unsaved");  // sent: from now on, the save says what it became
      var scope = form.closest("tr") || document;
      var title = scope === document ? null : scope.querySelector("th a");
      window.BackgroundSave.send({
        url: form.action,
        element: form,
        status: live,
        subject: title ? title.textContent : "",
        body: function () { return new FormData(form); },
        saved: function (data) {
          updateRow(scope, data);
          return data.message;
        },
        // A colleague's newer change: show it, keep what this user typed for « Réessayer ».
        conflict: function (data) { showSaved(scope, data); }
      });
    });
  });

  // Drag-and-drop within one group × horizon table (the ↑ ↓ buttons do the same by keyboard).
  if (window.Sortable && window.BackgroundSave) {
    document.querySelectorAll("tbody[data-reorder-url]").forEach(function (body) {
      window.Sortable.create(body, {
        handle: ".drag-handle",
        animation: 150,
        onEnd: function () {
          var order = Array.prototype.map.call(body.querySelectorAll("tr[data-action-id]"), function (row) {
            return parseInt(row.getAttribute("data-action-id"), 10);
          });
          window.BackgroundSave.send({
            url: body.getAttribute("data-reorder-url"),
            element: body.closest(".table-scroll") || body.parentNode,
            status: live,
            body: function () { return { order: order }; },
            saved: function (data) { return data.message; }
          });
        }
      });
    });
  }

  // Bulk form: show the fields of the chosen operation.
  var operation = document.getElementById("bulk-operation");
  if (operation) {
    var sync = function () {
      var status = operation.value === "status";
      document.getElementById("bulk-organisation").closest(".bulk-grid > div").hidden =
        operation.value !== "owner";
      document.getElementById("bulk-status").closest("div").hidden = !status;
      document.getElementById("bulk-reason").closest("div").hidden = !status;
    };
    operation.addEventListener("change", sync);
    sync();
  }
})();
