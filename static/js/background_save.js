// Saves a change in the background, then says what happened, and only what happened
// (territorial.common.versions on the server):
// - while saving, the element is marked data-save-state="saving";
// - after a save the server confirmed, `saved(data)` updates the page and returns the message
//   announced in the page's live region (« … enregistré »): nothing else ever announces it;
// - a save that failed (no network, server error, refused value) stays marked on its element
//   (data-save-state="failed") with the reason and a « Réessayer » button;
// - a conflict (409: someone changed it since the page was loaded) calls `conflict(data)` to
//   show the current value, and stays marked with who changed it and when; « Réessayer »
//   then sends the user's choice again, on the current version.
// Saves of one element go one after the other, so that each carries the version the previous
// one returned. The texts come from the page (data-* of this script's tag), in its language.
//
//   BackgroundSave.send({url, element, status, subject,
//                        body: () => FormData (or an object, sent as JSON),
//                        saved: (data) => message, conflict: (data) => {}});
window.BackgroundSave = (function () {
  "use strict";

  var script = document.currentScript;
  var texts = (script && script.dataset) || {};
  var counter = 0;

  function text(name) { return texts[name] || ""; }

  function csrfToken() {
    var input = document.querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  function unsaved() {
    return document.querySelectorAll("[data-save-state=failed], [data-save-state=conflict]").length;
  }

  // The message, and how many changes of the page are still not saved.
  function withUnsaved(message) {
    var count = unsaved();
    if (!count) { return message; }
    var pattern = count === 1 ? text("unsavedOne") : text("unsavedMany");
    return message + " " + pattern.replace("{num}", count);
  }

  function announce(status, message, isError) {
    if (!status) { return; }
    status.textContent = message;
    status.classList.toggle("save-status-error", Boolean(isError));
  }

  function clearProblem(element) {
    Array.prototype.forEach.call(element.children, function (child) {
      if (child.classList.contains("save-problem")) { child.remove(); }
    });
    element.removeAttribute("data-save-state");
  }

  function showProblem(element, state, message, retry) {
    clearProblem(element);
    element.setAttribute("data-save-state", state);
    var box = document.createElement("div");
    box.className = "save-problem";
    var reason = document.createElement("span");
    reason.id = "save-problem-" + (counter += 1);
    reason.textContent = message;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary small";
    button.textContent = text("retry");
    button.setAttribute("aria-describedby", reason.id);
    button.addEventListener("click", retry);
    box.appendChild(reason);
    box.appendChild(button);
    element.appendChild(box);
  }

  function post(options) {
    var element = options.element;
    var about = options.subject ? options.subject + " : " : "";
    clearProblem(element);
    element.setAttribute("data-save-state", "saving");
    announce(options.status, about + text("saving"), false);
    function retry() { send(options); }
    var body = options.body();
    var headers = { "X-CSRFToken": csrfToken(), "Accept": "application/json" };
    if (!(body instanceof FormData)) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(body);
    }
    return fetch(options.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: headers
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, ok: response.ok, data: data || {} };
      });
    }).then(function (result) {
      var data = result.data;
      if (result.ok && data.ok) {
        element.removeAttribute("data-save-state");
        var message = options.saved ? options.saved(data) : "";
        announce(options.status, withUnsaved(message || about + text("saved")), false);
        return;
      }
      // On the element, the reason; in the live region, what it is about too.
      if (result.status === 409 && data.conflict) {
        if (options.conflict) { options.conflict(data); }
        showProblem(element, "conflict", data.detail || data.error, retry);
        announce(options.status, withUnsaved(data.error), true);
      } else {
        var reason = data.error || text("failed");
        showProblem(element, "failed", reason, retry);
        announce(options.status, withUnsaved(about + reason), true);
      }
    }).catch(function () {
      showProblem(element, "failed", text("offline"), retry);
      announce(options.status, withUnsaved(about + text("offline")), true);
    });
  }

  function send(options) {
    var element = options.element;
    var previous = element.backgroundSave || Promise.resolve();
    element.backgroundSave = previous.then(function () { return post(options); });
    return element.backgroundSave;
  }

  return { send: send, text: text };
})();
