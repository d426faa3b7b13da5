// Live sessions: fragments that refresh without reloading the page (polling with ETag /
// If-None-Match: an unchanged board costs a 304), forms sent in the background, drag and
// drop of cards, running clock, vote charts, character counters. No inline script: the
// CSP forbids it; everything the script needs comes from data-attributes.
(function () {
  "use strict";
  if (window.liveSessionLoaded) { return; }
  window.liveSessionLoaded = true;

  var pollers = [];

  function quoted(etag) {
    if (!etag) { return ""; }
    return etag.charAt(0) === '"' || etag.indexOf("W/") === 0 ? etag : '"' + etag + '"';
  }

  function announce(region, message, isError) {
    var status = region && region.getAttribute("data-status") &&
      document.querySelector(region.getAttribute("data-status"));
    if (!status) { return; }
    status.textContent = message || "";
    status.classList.toggle("is-error", !!isError);
  }

  function typingInside(element) {
    var active = document.activeElement;
    return active && element.contains(active) &&
      (active.tagName === "TEXTAREA" || active.tagName === "SELECT" ||
       (active.tagName === "INPUT" && active.type !== "hidden" && active.type !== "submit"));
  }

  // Replace a region's content, keeping open menus open and the keyboard focus in place.
  function replaceContent(element, html) {
    var open = Array.prototype.map.call(element.querySelectorAll("details[open][id]"),
      function (d) { return d.id; });
    var active = document.activeElement;
    var focusKey = active && element.contains(active) ?
      (active.getAttribute("data-focus-key") || active.id) : null;
    element.innerHTML = html;
    open.forEach(function (id) {
      var details = document.getElementById(id);
      if (details) { details.open = true; }
    });
    if (focusKey) {
      var target = element.querySelector('[data-focus-key="' + focusKey + '"]') ||
        document.getElementById(focusKey);
      if (target && !target.disabled) { target.focus({ preventScroll: true }); }
    }
    enhance(element);
  }

  function Poller(element) {
    this.element = element;
    this.url = element.getAttribute("data-poll-url");
    this.etag = quoted(element.getAttribute("data-etag"));
    this.interval = parseInt(element.getAttribute("data-poll-interval") || "3000", 10);
    this.timer = null;
    this.busy = false;
    this.paused = false;
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
    var headers = { "X-Requested-With": "fetch" };
    if (this.etag) { headers["If-None-Match"] = this.etag; }
    fetch(this.url, { headers: headers, cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 304) { return null; }
        if (!response.ok) {
          if (self.element.hasAttribute("data-reload-on-error") && response.status >= 400 &&
              response.status < 500) {
            window.location.reload();
          }
          return null;
        }
        var etag = response.headers.get("ETag");
        return response.text().then(function (html) {
          if (self.paused || typingInside(self.element)) { return; }  // next round
          self.etag = etag || "";
          replaceContent(self.element, html);
        });
      })
      .catch(function () { /* offline for a moment: try again at the next round */ })
      .then(function () { self.busy = false; self.schedule(); });
  };

  Poller.prototype.now = function () { this.schedule(0); };

  function pollerFor(element) {
    for (var i = 0; i < pollers.length; i++) {
      if (pollers[i].element.contains(element)) { return pollers[i]; }
    }
    return null;
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { pollers.forEach(function (p) { p.now(); }); }
  });

  // Forms marked data-live-form are sent in the background; the region refreshes at once.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-live-form") || event.defaultPrevented) { return; }
    event.preventDefault();
    var poller = pollerFor(form);
    var region = poller ? poller.element : null;
    var button = form.querySelector("[type=submit]");
    if (button) { button.disabled = true; }
    fetch(form.getAttribute("action") || window.location.href, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.ok) {
          announce(region, data.message || "");
        } else {
          announce(region, data.error || response.statusText, true);
        }
      });
    }).catch(function () {
      announce(region, document.documentElement.lang === "fr" ?
        "Connexion perdue : réessayez." : "Connection lost: try again.", true);
    }).then(function () {
      if (button) { button.disabled = false; }
      if (poller) { poller.now(); }
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
          fetch(board.getAttribute("data-reorder-url"), {
            method: "POST", credentials: "same-origin",
            headers: {
              "Content-Type": "application/json", "X-Requested-With": "fetch",
              "X-CSRFToken": board.getAttribute("data-csrf")
            },
            body: JSON.stringify({
              kind: target.getAttribute("data-kind"),
              cluster_id: target.getAttribute("data-cluster") || null, ids: ids
            })
          }).then(function (response) {
            return response.json().catch(function () { return {}; }).then(function (data) {
              announce(board, response.ok ? data.message : (data.error || response.statusText),
                !response.ok);
            });
          }).catch(function () { /* the next poll shows the real order */ })
            .then(function () {
              if (poller) { poller.paused = false; poller.now(); }
            });
        }
      });
    });
  }

  // Vote charts: figure dicts built on the server, in JSON blocks next to their container.
  function drawCharts(scope) {
    if (typeof window.Plotly === "undefined") { return; }
    scope.querySelectorAll("[data-figure]").forEach(function (container) {
      var block = document.getElementById(container.getAttribute("data-figure"));
      if (!block) { return; }
      var figure = JSON.parse(block.textContent);
      window.Plotly.react(container, figure.data, figure.layout);
    });
  }

  function enhance(scope) {
    enableSorting(scope);
    drawCharts(scope);
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

  // Characters left in a text field with a maximum length.
  function counters() {
    document.querySelectorAll("[data-counter-for]").forEach(function (counter) {
      var field = document.getElementById(counter.getAttribute("data-counter-for"));
      if (!field) { return; }
      var max = field.getAttribute("maxlength");
      var update = function () {
        counter.textContent = field.value.length + " " + counter.getAttribute("data-counter-label") +
          " " + max;
      };
      field.addEventListener("input", update);
      update();
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
  counters();
  tickClocks();
  setInterval(tickClocks, 1000);
})();
