// A participant's phone: contributions that survive venue Wi-Fi.
//
// - What is being typed is kept on the phone (localStorage, per session code) and comes
//   back after a refresh, a closed tab or a closed session.
// - « Envoyer » puts the contribution in an outbox on the phone, then sends it in the
//   background with its submission key; a lost answer, an offline phone or a busy server
//   means the same key is sent again (1, 2, 4, 8, 15 s…, and as soon as the phone is back
//   online): the server stores it once whatever happens. It leaves the outbox only when
//   the server has acknowledged it.
// - A refusal (session closed, text refused) is shown next to the text, which stays on the
//   phone; the page of a closed session lists what could not be sent.
// Sent by BackgroundSave.request (static/js/background_save.js). No inline script (CSP):
// labels come from data-attributes written by the server.
(function () {
  "use strict";

  var DELAYS = [1000, 2000, 4000, 8000, 15000];

  function storage(code, what) { return "tp-live:" + code + ":" + what; }

  function read(name, fallback) {
    try {
      var value = JSON.parse(window.localStorage.getItem(name));
      return value === null ? fallback : value;
    } catch (error) { return fallback; }
  }

  function write(name, value) {
    try {
      if (value === null || (Array.isArray(value) && !value.length)) {
        window.localStorage.removeItem(name);
      } else {
        window.localStorage.setItem(name, JSON.stringify(value));
      }
    } catch (error) { /* private mode: the page still sends, without keeping */ }
  }

  function newKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return (b < 16 ? "0" : "") + b.toString(16);
    }).join("");
  }

  // The texts come from the page (data-* of the contribution form), in its language.
  function label(element, name) {
    return (element && element.getAttribute(name)) || "";
  }

  // Seconds the server asks to wait (Retry-After), 10 when it does not say.
  function retryAfter(response) {
    var seconds = parseInt(response.headers.get("Retry-After") || "", 10);
    return isNaN(seconds) ? 10 : Math.min(Math.max(seconds, 1), 120);
  }

  // Dots: « +1 » and « −1 » queued on the phone like the cards ---------------------------
  // Each tap asks for a number of dots on a card (« target »): sending it again after a
  // lost answer changes nothing. Taps made offline wait in a queue (kept across a reload)
  // and leave in order when the connection comes back. A refusal (no dot left, vote
  // closed) is said next to its card, without « Réessayer »: it could not succeed.
  function votes() {
    var region = document.getElementById("phone-work");
    if (!region || !region.querySelector) { return; }
    var code = (document.querySelector("form[data-phone-send]") || region)
      .getAttribute("data-code") || window.location.pathname.split("/")[2];
    var queueName = storage(code, "dots");
    var queue = read(queueName, []);
    var notes = {};  // card id → {text, error}
    var sending = false;
    var tries = 0;
    var timer = null;

    function note(cardId, text, isError) {
      if (text) { notes[cardId] = { text: text, error: !!isError }; } else { delete notes[cardId]; }
      paint();
    }

    function paint() {
      region.querySelectorAll("[data-vote-note]").forEach(function (element) {
        var entry = notes[element.getAttribute("data-vote-note")];
        element.textContent = entry ? entry.text : "";
        element.classList.toggle("field-error", !!(entry && entry.error));
      });
    }

    function csrf() {
      var input = document.querySelector("input[name=csrf_token]");
      return input ? input.value : "";
    }

    function later(delay) {
      clearTimeout(timer);
      timer = setTimeout(next, delay);
    }

    function next() {
      timer = null;
      if (sending || !queue.length) { return; }
      var item = queue[0];
      var data = new FormData();
      item.fields.forEach(function (pair) { data.append(pair[0], pair[1]); });
      data.set("csrf_token", csrf());
      sending = true;
      window.BackgroundSave.request(item.url, data).then(function (response) {
        var answer = response.data;
        if (response.ok) {
          queue.shift();
          tries = 0;
          note(item.card, "");
          announce(answer.message || "");
          document.dispatchEvent(new CustomEvent("live:changed"));
        } else if (response.status === 429) {
          note(item.card, answer.error || region.getAttribute("data-vote-limited"), true);
          later(retryAfter(response) * 1000);
        } else if (response.status >= 500 || !answer.error) {
          note(item.card, region.getAttribute("data-vote-pending"));
          later(DELAYS[Math.min(tries++, DELAYS.length - 1)]);
        } else {
          // Refused for good: said next to the card, and the next tap goes.
          queue.shift();
          note(item.card, answer.error, true);
          document.dispatchEvent(new CustomEvent("live:changed"));
        }
        write(queueName, queue);
      }).catch(function () {
        note(item.card, region.getAttribute("data-vote-pending"));
        later(DELAYS[Math.min(tries++, DELAYS.length - 1)]);
      }).then(function () {
        sending = false;
        if (queue.length && !timer) { next(); }
      });
    }

    function announce(message) {
      var status = document.getElementById("phone-status");
      if (status) { status.textContent = message; status.classList.remove("is-error"); }
    }

    document.addEventListener("submit", function (event) {
      var voteForm = event.target;
      if (!voteForm.hasAttribute || !voteForm.hasAttribute("data-phone-vote")) { return; }
      event.preventDefault();
      var fields = [];
      new FormData(voteForm).forEach(function (value, name) {
        if (name !== "csrf_token") { fields.push([name, value]); }
      });
      var card = voteForm.querySelector("input[name=card_id]").value;
      // A tap after queued ones on the same card counts from where they leave it.
      var before = queue.filter(function (item) { return item.card === card; }).pop();
      if (before) {
        var step = voteForm.querySelector("input[name=change]").value === "remove" ? -1 : 1;
        var last = before.fields.filter(function (pair) { return pair[0] === "target"; })[0];
        fields.forEach(function (pair) {
          if (pair[0] === "target") { pair[1] = String(Math.max(0, parseInt(last[1], 10) + step)); }
        });
      }
      queue.push({ url: voteForm.getAttribute("action"), fields: fields, card: card });
      write(queueName, queue);
      if (!navigator.onLine) { note(card, region.getAttribute("data-vote-pending")); }
      if (!timer) { next(); }
    });

    window.addEventListener("online", function () {
      clearTimeout(timer);
      timer = null;
      tries = 0;
      next();
    });

    // The region is replaced at each change: the notes are written again.
    new MutationObserver(paint).observe(region, { childList: true });
    queue.forEach(function (item) { note(item.card, region.getAttribute("data-vote-pending")); });
    next();
  }

  // The page of a closed session: what this phone could not send ----------------------
  document.querySelectorAll("[data-kept-for]").forEach(function (section) {
    var code = section.getAttribute("data-kept-for");
    var texts = read(storage(code, "outbox"), []).map(function (item) { return item.text; });
    var draft = read(storage(code, "draft"), null);
    if (draft && draft.text && draft.text.trim()) { texts.push(draft.text); }
    if (!texts.length) { return; }
    var list = section.querySelector("ul");
    texts.forEach(function (value) {
      var item = document.createElement("li");
      item.className = "prewrap";
      item.textContent = value;
      list.appendChild(item);
    });
    section.hidden = false;
    var clear = section.querySelector("[data-forget]");
    if (clear) {
      clear.addEventListener("click", function () {
        write(storage(code, "outbox"), null);
        write(storage(code, "draft"), null);
        section.hidden = true;
      });
    }
  });

  votes();

  var form = document.querySelector("form[data-phone-send]");
  if (!form) { return; }
  var code = form.getAttribute("data-code");
  var textarea = form.querySelector("textarea[name=text]");
  var keyField = form.querySelector("input[name=submission_key]");
  var box = document.querySelector(form.getAttribute("data-outbox"));
  var status = document.querySelector(form.getAttribute("data-status"));
  var outboxName = storage(code, "outbox");
  var draftName = storage(code, "draft");
  var outbox = read(outboxName, []);
  var timers = {};

  function say(message, isError) {
    if (!status) { return; }
    status.textContent = message || "";
    status.classList.toggle("save-status-error", !!isError);
  }

  function saveOutbox() { write(outboxName, outbox); }

  function saveDraft() {
    var kind = form.querySelector("input[name=kind]:checked");
    write(draftName, textarea.value.trim() ? { text: textarea.value, kind: kind && kind.value }
      : null);
  }

  // The draft: kept at each keystroke, back after a refresh.
  var draft = read(draftName, null);
  if (draft && draft.text && !textarea.value) {
    textarea.value = draft.text;
    var kind = draft.kind && form.querySelector('input[name=kind][value="' + draft.kind + '"]');
    if (kind) { kind.checked = true; }
    textarea.dispatchEvent(new Event("input"));
  }
  textarea.addEventListener("input", saveDraft);
  form.addEventListener("change", saveDraft);

  function render() {
    if (!box) { return; }
    var list = box.querySelector("ul");
    list.textContent = "";
    outbox.forEach(function (item) {
      var entry = document.createElement("li");
      var quote = document.createElement("span");
      quote.className = "prewrap";
      quote.textContent = item.text;
      var note = document.createElement("span");
      note.className = item.error ? "field-error" : "muted";
      note.textContent = " – " + (item.error ||
        label(box, "data-pending-label"));
      entry.appendChild(quote);
      entry.appendChild(note);
      list.appendChild(entry);
    });
    box.hidden = !outbox.length;
  }

  function csrfFrom(html) {
    var match = /name="csrf_token"[^>]*value="([^"]+)"/.exec(html);
    return match ? match[1] : null;
  }

  // A token refused (expired or from another session cookie): take a fresh one from the page.
  function refreshToken() {
    return fetch(window.location.pathname, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var token = csrfFrom(html);
        if (token) {
          form.querySelectorAll("input[name=csrf_token]").forEach(function (input) {
            input.value = token;
          });
        }
        return !!token;
      });
  }

  function body(item) {
    var data = new FormData();
    item.fields.forEach(function (pair) { data.append(pair[0], pair[1]); });
    var token = form.querySelector("input[name=csrf_token]");
    if (token) { data.set("csrf_token", token.value); }
    return data;
  }

  function later(item) {
    clearTimeout(timers[item.key]);
    var delay = DELAYS[Math.min(item.tries, DELAYS.length - 1)];
    item.tries += 1;
    timers[item.key] = setTimeout(function () { send(item); }, delay);
  }

  function done(item) {
    clearTimeout(timers[item.key]);
    outbox = outbox.filter(function (other) { return other.key !== item.key; });
    saveOutbox();
    render();
  }

  function send(item) {
    if (item.sending) { return; }
    item.sending = true;
    clearTimeout(timers[item.key]);
    window.BackgroundSave.request(form.getAttribute("action"), body(item))
      .then(function (response) {
        var data = response.data;
        if (response.ok) {
          done(item);
          say(data.message || label(box, "data-sent-label"));
          document.dispatchEvent(new CustomEvent("live:changed"));
        } else if (response.status === 400 && !response.json && !item.refreshed) {
          item.refreshed = true;
          return refreshToken().then(function () { item.sending = false; send(item); });
        } else if (response.status === 429) {
          // A limit: the server says which, and when to send again.
          say(data.error || label(box, "data-retrying-label"), true);
          clearTimeout(timers[item.key]);
          timers[item.key] = setTimeout(function () { send(item); },
            retryAfter(response) * 1000);
        } else if (response.status >= 500 || !response.json) {
          say(label(box, "data-retrying-label"), true);
          later(item);
        } else {
          // Refused for good: the text stays on the phone with the reason.
          item.error = data.error || String(response.status);
          saveOutbox();
          say(item.error, true);
          if (response.status === 422 && !textarea.value.trim()) {
            textarea.value = item.text;
            saveDraft();
            done(item);
          }
        }
        render();
      }).catch(function () {
        say(label(box, "data-offline-label"), true);
        later(item);
      }).then(function () { item.sending = false; });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var fields = [];
    new FormData(form).forEach(function (value, name) { fields.push([name, value]); });
    var item = { key: keyField.value, fields: fields, text: textarea.value, tries: 0 };
    if (!item.text.trim()) {
      say(label(box, "data-empty-label"), true);
      textarea.focus();
      return;
    }
    outbox.push(item);
    saveOutbox();
    keyField.value = newKey();  // the next contribution is another one
    textarea.value = "";
    textarea.dispatchEvent(new Event("input"));
    write(draftName, null);
    render();
    send(item);
  });

  window.addEventListener("online", function () {
    outbox.forEach(function (item) { if (!item.error) { send(item); } });
  });

  // What an earlier page could not send leaves now (the same keys: never twice); one
  // refused earlier (the phone had left the session) is tried once more.
  outbox.forEach(function (item) {
    item.tries = 0;
    item.sending = false;
    item.error = null;
    send(item);
  });
  render();
})();
