// Saves a change in the background, then says what happened, and only what happened
// (territorial.common.versions on the server). The one sender of the pages' scripts:
// action plans, RACI grid, frise board, live board (live.js); the phones' outbox
// (live_phone.js) posts through its `request`.
// - while saving, the element is marked data-save-state="saving";
// - after a save the server confirmed, `saved(data)` updates the page and returns the message
//   announced in the page's live region (« … enregistré »): nothing else ever announces it;
// - a save that failed (no network, server error, refused value) stays marked on its element
//   (data-save-state="failed") with the reason — or, when the element is redrawn by polling,
//   in a list of its own (`problems`: show, clear) — and what to do: « Réessayer » when the
//   server or the network failed, « Recharger la page » when the page's form has expired,
//   nothing when the server refused the value itself (its reason says what to change);
// - a conflict (409: someone changed it since the page was loaded) calls `conflict(data)` to
//   show the current value, and stays marked with who changed it and when; « Réessayer »
//   then sends the user's choice again, on the current version.
// Saves of one element go one after the other, so that each carries the version the previous
// one returned. The texts come from the page (data-* of this script's tag), in its language.
//
//   BackgroundSave.send({url, element, status, subject, headers,
//                        body: () => FormData (or an object, sent as JSON; or a string),
//                        saved: (data) => message, conflict: (data) => {},
//                        problems: {show: (state, message, retry, label) => {},
//                                   clear: () => {}}})
//   (`retry`: the button's action, null for none; `label`: its text)
//   → a promise, settled once the answer is shown.
//   BackgroundSave.request(url, body, headers) → {status, ok, json, data}, rejected offline.
//   BackgroundSave.format(name, {key: value}) → the page's text `name`, {key} replaced.
window.BackgroundSave = (function () {
  "use strict";

  var script = document.currentScript;
  var texts = (script && script.dataset) || {};
  var counter = 0;

  function text(name) { return texts[name] || ""; }

  function format(name, values) {
    return text(name).replace(/\{(\w+)\}/g, function (all, key) {
      return key in values ? String(values[key]) : all;
    });
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  function unsaved() {
    return document.querySelectorAll(
      "[data-save-state=failed], [data-save-state=conflict], [data-unsaved]").length;
  }

  // The message, and how many changes of the page are still not saved.
  function withUnsaved(message) {
    var count = unsaved();
    if (!count) { return message; }
    return message + " " + format(count === 1 ? "unsavedOne" : "unsavedMany", { num: count });
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

  function showProblem(element, state, message, retry, label) {
    clearProblem(element);
    element.setAttribute("data-save-state", state);
    var box = document.createElement("div");
    box.className = "save-problem";
    var reason = document.createElement("span");
    reason.id = "save-problem-" + (counter += 1);
    reason.textContent = message;
    box.appendChild(reason);
    if (retry) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "secondary small";
      button.textContent = label || text("retry");
      button.setAttribute("aria-describedby", reason.id);
      button.addEventListener("click", retry);
      box.appendChild(button);
    }
    element.appendChild(box);
  }

  // The problems of a save shown on its element (the default).
  function onElement(element) {
    return {
      show: function (state, message, retry, label) {
        showProblem(element, state, message, retry, label);
      },
      clear: function () { clearProblem(element); }
    };
  }

  function reloadPage() { window.location.reload(); }

  // What a failed save offers ([action, label]): the page again when its form has expired;
  // nothing when the server refused the value (a 4xx with its reason, but for a limit's 429,
  // which passes with time); « Réessayer » when the server or the network failed.
  function nextStep(result, retry) {
    if (result.data.reload) { return [reloadPage, text("reload")]; }
    if (result.status < 500 && result.status !== 429 && result.data.error) { return [null, ""]; }
    return [retry, text("retry")];
  }

  // POST `body` (FormData, a string, or an object sent as JSON) and read the answer as JSON
  // when it is some.
  function request(url, body, headers) {
    var all = { "X-CSRFToken": csrfToken(), "Accept": "application/json",
                "X-Requested-With": "fetch" };
    Object.keys(headers || {}).forEach(function (name) { all[name] = headers[name]; });
    if (!(body instanceof FormData) && typeof body !== "string") {
      all["Content-Type"] = "application/json";
      body = JSON.stringify(body);
    }
    return fetch(url, { method: "POST", body: body, credentials: "same-origin", headers: all })
      .then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("json") !== -1;
        return (json ? response.json() : Promise.resolve({}))
          .catch(function () { return {}; })
          .then(function (data) {
            return { status: response.status, ok: response.ok, json: json, data: data || {},
                     headers: response.headers };
          });
      });
  }

  function post(options) {
    var element = options.element;
    var problems = options.problems || onElement(element);
    var about = function (message) {
      return options.subject ? format("about", { subject: options.subject, message: message })
        : message;
    };
    problems.clear();
    element.setAttribute("data-save-state", "saving");
    announce(options.status, about(text("saving")), false);
    function retry() { send(options); }
    return request(options.url, options.body(), options.headers).then(function (result) {
      var data = result.data;
      if (result.ok && data.ok !== false) {
        element.removeAttribute("data-save-state");
        var message = options.saved ? options.saved(data) : "";
        announce(options.status, withUnsaved(message || about(text("saved"))), false);
        return;
      }
      // With the problem, the reason; in the live region, what it is about too.
      if (result.status === 409 && data.conflict) {
        if (options.conflict) { options.conflict(data); }
        element.removeAttribute("data-save-state");
        problems.show("conflict", data.detail || data.error, retry);
        announce(options.status, withUnsaved(data.error), true);
      } else {
        var reason = data.error || text("failed");
        var step = nextStep(result, retry);
        element.removeAttribute("data-save-state");
        problems.show("failed", reason, step[0], step[1]);
        announce(options.status, withUnsaved(about(reason)), true);
      }
    }).catch(function () {
      element.removeAttribute("data-save-state");
      problems.show("failed", text("offline"), retry);
      announce(options.status, withUnsaved(about(text("offline"))), true);
    });
  }

  function send(options) {
    var element = options.element;
    var previous = element.backgroundSave || Promise.resolve();
    element.backgroundSave = previous.then(function () { return post(options); });
    return element.backgroundSave;
  }

  return { send: send, request: request, format: format };
})();
