// Live sessions: fragments that refresh without reloading the page (polling every second
// with ETag / If-None-Match: an unchanged board costs a 304 after one query), actions sent
// in the background (failures stay listed with « Réessayer »), drag and drop of cards,
// running clock, vote charts, character counters. No inline script: the CSP forbids it;
// everything the script needs comes from data-attributes. Phones' contributions:
// live_phone.js.
(function () {
  "use strict";
  if (window.liveSessionLoaded) { return; }
  window.liveSessionLoaded = true;

  var pollers = [];

  function quoted(etag) {
    if (!etag) { return ""; }
    return etag.charAt(0) === '"' || etag.indexOf("W/") === 0 ? etag : '"' + etag + '"';
  }

  function typingInside(element) {
    var active = document.activeElement;
    return active && element.contains(active) &&
      (active.tagName === "TEXTAREA" || active.tagName === "SELECT" ||
       (active.tagName === "INPUT" && active.type !== "hidden" && active.type !== "submit"));
  }

  // The cards of a region as the server last sent them (id → HTML), to tell a card that
  // changed from one that only moved (the forms' CSRF tokens differ at every rendering).
  function cardsHtml(root) {
    var found = {};
    root.querySelectorAll("li[data-id]").forEach(function (li) {
      var copy = li.cloneNode(true);
      copy.querySelectorAll("input[name=csrf_token]").forEach(function (input) {
        input.removeAttribute("value");
      });
      found[li.getAttribute("data-id")] = copy.outerHTML;
    });
    return found;
  }

  // A card the user is working on: its menu is open, or the focus is inside it.
  function engaged(li) {
    var active = document.activeElement;
    return !!li.querySelector("details[open]") || (active && active !== document.body &&
      li.contains(active));
  }

  function focusByKey(element, key) {
    var target = key && (element.querySelector('[data-focus-key="' + key + '"]') ||
      document.getElementById(key));
    if (!target || target.disabled) { return false; }
    var menu = target.closest("details");
    if (menu && target.tagName !== "SUMMARY") { menu.open = true; }
    target.focus({ preventScroll: true });
    return true;
  }

  // Replace a region's content without taking from the user what they are doing: a card
  // whose menu is open (or holds the focus) is kept as it is (open menu, chosen group,
  // focus), in its new place, as long as the server sends the same card; a card that
  // changed comes in anew, its menu closed, unless the change is the user's own action
  // (``poller.focusAfter``: the control to give the focus back to, e.g. « Monter »).
  function replaceContent(element, html, poller) {
    var known = (poller && poller.cards) || {};
    var active = document.activeElement;
    var focusKey = active && element.contains(active) ?
      (active.getAttribute("data-focus-key") || active.id) : null;
    var pending = poller ? poller.focusAfter : null;
    if (poller) { poller.focusAfter = null; }
    var template = document.createElement("template");
    template.innerHTML = html;
    var fresh = cardsHtml(template.content);
    var kept = false;
    element.querySelectorAll("li[data-id]").forEach(function (li) {
      var id = li.getAttribute("data-id");
      var replacement = template.content.querySelector('li[data-id="' + id + '"]');
      if (!replacement || !engaged(li) || known[id] !== fresh[id]) { return; }
      replacement.parentNode.replaceChild(li, replacement);  // the same node: its state
      if (li.contains(active)) { kept = true; }
    });
    // Other open menus (outside the cards) stay open.
    var open = Array.prototype.map.call(element.querySelectorAll("details[open][id]"),
      function (d) { return d.closest("li[data-id]") ? null : d.id; }).filter(Boolean);
    element.replaceChildren(template.content);
    if (poller) { poller.cards = fresh; }
    open.forEach(function (id) {
      var details = document.getElementById(id);
      if (details) { details.open = true; }
    });
    if (kept && active.isConnected) {
      active.focus({ preventScroll: true });
    } else if (!focusByKey(element, pending) && focusKey) {
      var target = element.querySelector('[data-focus-key="' + focusKey + '"]') ||
        document.getElementById(focusKey);
      // In a menu that closed (its card changed meanwhile): the menu's own button.
      var closed = target && target.closest("details:not([open])");
      if (closed) { target = closed.querySelector("summary"); }
      if (target && !target.disabled) { target.focus({ preventScroll: true }); }
    }
    enhance(element);
    element.dispatchEvent(new CustomEvent("live:replaced", { bubbles: true }));
  }

  function Poller(element) {
    this.element = element;
    this.url = element.getAttribute("data-poll-url");
    this.etag = quoted(element.getAttribute("data-etag"));
    this.interval = parseInt(element.getAttribute("data-poll-interval") || "1000", 10);
    this.timer = null;
    this.busy = false;
    this.paused = false;
    this.cards = cardsHtml(element);
    this.focusAfter = null;
    this.schedule();
  }

  Poller.prototype.schedule = function (delay) {
    var self = this;
    clearTimeout(this.timer);
    this.timer = setTimeout(function () { self.poll(); },
      delay === undefined ? this.interval : delay);
  };

  Poller.prototype.poll = function () {
    var self = this;
    if (this.busy || document.hidden) { this.schedule(); return; }
    if (this.paused || typingInside(this.element)) { this.schedule(1000); return; }
    this.busy = true;
    var started = Date.now();
    var headers = { "X-Requested-With": "fetch" };
    if (this.etag) { headers["If-None-Match"] = this.etag; }
    fetch(this.url, { headers: headers, cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 304) { return null; }
        if (response.redirected) {
          // Signed out, or the phone left its session: the page itself says what to do.
          window.location.reload();
          return null;
        }
        if (!response.ok) {
          if (self.element.hasAttribute("data-reload-on-error") && response.status >= 400 &&
              response.status < 500 && response.status !== 429) {
            window.location.reload();
          }
          return null;
        }
        var etag = response.headers.get("ETag");
        return response.text().then(function (html) {
          if (self.paused || typingInside(self.element)) { return; }  // next round
          self.etag = etag || "";
          replaceContent(self.element, html, self);
        });
      })
      .catch(function () { /* offline for a moment: try again at the next round */ })
      .then(function () {
        self.busy = false;
        // Every interval from the start of one poll to the next, not after the answer.
        self.schedule(Math.max(100, self.interval - (Date.now() - started)));
      });
  };

  Poller.prototype.now = function () { this.schedule(0); };

  function pollerFor(element) {
    for (var i = 0; i < pollers.length; i++) {
      if (pollers[i].element.contains(element)) { return pollers[i]; }
    }
    return null;
  }

  // Something this page sent was stored (a phone's contribution): show it at once.
  document.addEventListener("live:changed", function () {
    pollers.forEach(function (p) { p.now(); });
  });

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { pollers.forEach(function (p) { p.now(); }); }
  });

  // Actions sent in the background (forms marked data-live-form, drag and drop), by
  // BackgroundSave (static/js/background_save.js). What the server confirmed is announced
  // with its own message (« Carte mise à jour. »); an action that failed stays in the
  // region's list of failures (data-failures, outside what polling redraws) with a
  // « Réessayer » button until it succeeds or is dismissed: nothing looks saved that was not.
  // The texts come from the page (data-* of the failures list), in its language.
  function text(element, name) {
    return (element && element.getAttribute(name)) || "";
  }

  function quote(words) { return window.BackgroundSave.format("quote", { text: words }); }

  function failuresOf(region) {
    var selector = region && region.getAttribute("data-failures");
    return selector ? document.querySelector(selector) : null;
  }

  function statusOf(region) {
    var selector = region && region.getAttribute("data-status");
    return selector ? document.querySelector(selector) : null;
  }

  // The failures list of `region`, as BackgroundSave shows and clears an action's problem.
  function listed(region, action) {
    var list = failuresOf(region);
    function forget() {
      if (action.item && action.item.parentNode) { action.item.parentNode.removeChild(action.item); }
      action.item = null;
      if (list && !list.querySelector("li")) { list.hidden = true; }
    }
    return {
      clear: forget,
      show: function (state, message, retry, retryLabel) {
        if (!list) { return; }
        var item = action.item;
        if (!item) {
          item = action.item = document.createElement("li");
          item.setAttribute("data-unsaved", "");
          var label = document.createElement("span");
          var again = document.createElement("button");
          var dismiss = document.createElement("button");
          again.type = dismiss.type = "button";
          again.className = "small";
          dismiss.className = "secondary outline small";
          dismiss.textContent = text(list, "data-dismiss-label");
          again.addEventListener("click", function () { action.retry(); });
          action.again = again;
          dismiss.addEventListener("click", forget);
          item.appendChild(label);
          item.appendChild(again);
          item.appendChild(dismiss);
          list.querySelector("ul").appendChild(item);
        }
        action.retry = retry;
        action.again.hidden = !retry;
        action.again.textContent = retryLabel || text(list, "data-retry-label");
        item.firstChild.textContent = window.BackgroundSave.format(
          "about", { subject: action.label, message: message });
        list.hidden = false;
      }
    };
  }

  function send(region, element, action) {
    var poller = region ? pollerFor(region) : null;
    var button = action.button;
    // After the action, the focus goes to ``data-focus-after`` (e.g. the closed menu of a
    // card just filed) or stays on the control pressed (« Monter », pressed again).
    var focusKey = button && button === document.activeElement &&
      (button.getAttribute("data-focus-after") || button.getAttribute("data-focus-key"));
    if (button) { button.disabled = true; }
    return window.BackgroundSave.send({
      url: action.url,
      element: element,
      status: statusOf(region),
      subject: action.label,
      headers: action.headers,
      body: action.body,
      saved: function (data) { return data.message || ""; },
      problems: listed(region, action)
    }).then(function () {
      if (button) { button.disabled = false; }
      if (focusKey && poller) {
        // The focus stays on the control the user pressed, in the board that follows.
        poller.focusAfter = focusKey;
        if (!document.activeElement || document.activeElement === document.body) {
          focusByKey(poller.element, focusKey);
        }
      }
      if (poller) { poller.paused = false; poller.now(); }
    });
  }

  function actionLabel(form, button) {
    var card = form.closest("[data-id]");
    var cardText = card && card.querySelector(".card-text");
    var label = quote(button ? button.textContent.trim() : "…");
    if (cardText) {
      var words = cardText.textContent.trim();
      label += " – " + quote(words.length > 40 ? words.slice(0, 39) + "…" : words);
    }
    return label;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-live-form") || event.defaultPrevented) { return; }
    event.preventDefault();
    var poller = pollerFor(form);
    var region = poller ? poller.element : null;
    // The button pressed (« Accepter » or « Refuser », « Tout accepter »…) says what to do.
    var button = event.submitter || form.querySelector("[type=submit]");
    var fields = new FormData(form);
    if (button && button.name) { fields.append(button.name, button.value); }
    send(region, form, {
      url: form.getAttribute("action") || window.location.href,
      body: function () { return fields; },
      label: actionLabel(form, button),
      button: button
    });
  });

  // Drag and drop of cards (SortableJS); the keyboard uses the « Monter / Descendre » buttons.
  function enableSorting(scope) {
    var board = document.querySelector("[data-reorder-url]");
    if (!board || typeof window.Sortable === "undefined") { return; }
    var poller = pollerFor(board);
    scope.querySelectorAll("ol[data-sortable]").forEach(function (list) {
      window.Sortable.create(list, {
        group: "kind-" + list.getAttribute("data-kind"),
        animation: 150,
        filter: "details, button, select, a, input, label",
        preventOnFilter: false,
        onStart: function () { if (poller) { poller.paused = true; } },
        onEnd: function (event) {
          var target = event.to;
          var ids = Array.prototype.map.call(target.querySelectorAll(":scope > li[data-id]"),
            function (li) { return li.getAttribute("data-id"); });
          var moved = event.item && event.item.querySelector(".card-text");
          var payload = {
            kind: target.getAttribute("data-kind"),
            cluster_id: target.getAttribute("data-cluster") || null, ids: ids
          };
          send(board, board, {
            url: board.getAttribute("data-reorder-url"),
            body: function () { return payload; },
            headers: { "X-CSRFToken": board.getAttribute("data-csrf") },
            label: text(failuresOf(board), "data-move-label") +
              (moved ? " – " + quote(moved.textContent.trim().slice(0, 40)) : "")
          });
        }
      });
    });
  }

  function enhance(scope) {
    enableSorting(scope);
    if (window.Charts) { window.Charts.drawAll(scope); }  // the vote charts (static/js/charts.js)
  }

  // Running clock of the step under way.
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tickClocks() {
    document.querySelectorAll("[data-clock-start]").forEach(function (clock) {
      var start = Date.parse(clock.getAttribute("data-clock-start"));
      if (isNaN(start)) { return; }
      var seconds = Math.max(0, Math.floor((Date.now() - start) / 1000));
      var hours = Math.floor(seconds / 3600);
      var text = (hours ? hours + ":" + pad(Math.floor(seconds / 60) % 60) :
        Math.floor(seconds / 60)) + ":" + pad(seconds % 60);
      var planned = parseInt(clock.getAttribute("data-clock-planned"), 10);
      var over = planned && seconds > planned * 60;
      clock.textContent = text + (over ? " – " + clock.getAttribute("data-overrun-label") : "");
      clock.classList.toggle("is-overrun", !!over);
    });
  }

  document.querySelectorAll("[data-fullscreen]").forEach(function (button) {
    button.addEventListener("click", function () {
      var target = document.querySelector(button.getAttribute("data-fullscreen"));
      if (target && target.requestFullscreen) { target.requestFullscreen(); }
    });
  });

  document.querySelectorAll("[data-poll-url]").forEach(function (element) {
    pollers.push(new Poller(element));
  });
  enhance(document);
  tickClocks();
  setInterval(tickClocks, 1000);
})();
