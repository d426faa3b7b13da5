// The picker of organisations and people (templates/_macros.html, ``picker``): the text
// box becomes an ARIA 1.2 combobox whose listbox is filled by the directory's search
// (actors.search) as one types; arrows move, Enter chooses, Escape closes; the number of
// results is announced. Several may be chosen: each is a chip with its remove button.
// « Créer l'organisation » when the name is not found. Every text comes from the page.
(function () {
  "use strict";

  var DELAY = 200;

  function format(template, values) {
    return (template || "").replace(/\{(\w+)\}/g, function (_m, key) {
      return values[key] === undefined ? "" : values[key];
    });
  }

  function csrfToken(root) {
    var form = root.closest("form");
    var input = (form && form.querySelector("input[name=csrf_token]")) ||
      document.querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  function Picker(root) {
    this.root = root;
    this.data = root.dataset;
    this.multiple = root.hasAttribute("data-multiple");
    this.input = root.querySelector(".picker-search input");
    this.status = root.querySelector("[data-picker-status]");
    this.choices = root.querySelector("[data-picker-choices]");
    this.chips = root.querySelector(".picker-chips");
    this.results = [];
    this.active = -1;
    this.timer = null;
    this.request = 0;
    this.build();
  }

  Picker.prototype.build = function () {
    var self = this;
    // Hidden and no longer a submit button: Enter in another field of the form presses
    // the form's own button (« Enregistrer »), not this one (the first in the form).
    this.find = this.root.querySelector(".picker-find");
    this.find.hidden = true;
    this.find.type = "button";
    this.choices.hidden = true;
    this.listbox = document.createElement("ul");
    this.listbox.id = this.data.listbox;
    this.listbox.className = "picker-listbox";
    this.listbox.setAttribute("role", "listbox");
    this.listbox.setAttribute("aria-labelledby", this.labelId());
    this.listbox.hidden = true;
    this.root.querySelector(".picker-search").appendChild(this.listbox);
    // « Aucun … ne correspond » in sight (the status line says it to screen readers).
    this.empty = document.createElement("p");
    this.empty.className = "hint picker-empty";
    this.empty.setAttribute("aria-hidden", "true");
    this.empty.textContent = this.data.countNone || "";
    this.empty.hidden = true;
    this.root.querySelector(".picker-search").after(this.empty);
    var input = this.input;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", this.listbox.id);
    if (this.multiple) {
      this.holder = document.createElement("div");
      this.holder.hidden = true;
      this.root.appendChild(this.holder);
      this.choices.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
        self.addChip(box.value, box.getAttribute("data-label"));
      });
      // The boxes stay in the page for no one: the chips hold the choice now.
      this.choices.querySelectorAll("input[type=checkbox]").forEach(function (box) {
        box.disabled = true;
      });
    } else {
      this.select = this.choices.querySelector("select");
      var option = this.select.selectedOptions[0];
      // The name chosen, as the page wrote it (an option reads « name (detail) »).
      if (option && option.value) { input.value = this.select.getAttribute("data-label") || option.textContent; }
    }
    input.addEventListener("input", function () { self.typed(); });
    input.addEventListener("keydown", function (event) { self.key(event); });
    input.addEventListener("blur", function () {
      window.setTimeout(function () { self.close(); }, 150);
    });
    this.listbox.addEventListener("mousedown", function (event) { event.preventDefault(); });
    this.listbox.addEventListener("click", function (event) {
      var item = event.target.closest("[role=option]");
      if (item) { self.choose(Number(item.getAttribute("data-index"))); }
    });
  };

  Picker.prototype.labelId = function () {
    var label = document.querySelector("label[for='" + this.input.id + "']");
    if (!label.id) { label.id = this.input.id + "-label"; }
    return label.id;
  };

  Picker.prototype.typed = function () {
    var self = this;
    if (!this.multiple && this.select.value) {
      this.select.value = "";  // the text changed: the choice is undone
    }
    window.clearTimeout(this.timer);
    if (!this.input.value.trim()) {
      // The field emptied: no list over the form's buttons, and no late answer reopens it.
      this.request++;
      this.results = [];  // ArrowDown asks the directory afresh
      this.empty.hidden = true;
      this.close();
      this.say("");
      return;
    }
    this.timer = window.setTimeout(function () { self.fetch(); }, DELAY);
  };

  Picker.prototype.fetch = function () {
    var self = this;
    var query = this.input.value.trim();
    var number = ++this.request;
    var url = this.data.url + "&limit=20&q=" + encodeURIComponent(query);
    window.fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (answer) {
        if (number === self.request) { self.show(answer.results, answer.more, query); }
      })
      .catch(function () {
        if (number === self.request) {
          self.find.type = "submit";  // the search of the page without JavaScript
          self.find.hidden = false;
          self.say(self.data.failed);
        }
      });
  };

  Picker.prototype.chosenIds = function () {
    if (!this.multiple) { return []; }
    return Array.prototype.map.call(this.holder.querySelectorAll("input"), function (input) {
      return input.value;
    });
  };

  Picker.prototype.show = function (results, more, query) {
    var taken = this.chosenIds();
    this.results = results.filter(function (r) { return taken.indexOf(String(r.id)) < 0; });
    var exact = this.results.some(function (r) {
      return r.label.toLowerCase() === query.toLowerCase();
    });
    if (this.data.createUrl && query && !exact) {
      this.results.push({ create: query, label: format(this.data.create, { text: query }) });
    }
    this.listbox.textContent = "";
    var self = this;
    this.results.forEach(function (result, index) {
      var item = document.createElement("li");
      item.id = self.listbox.id + "-" + index;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.setAttribute("data-index", String(index));
      item.className = result.create ? "picker-option picker-create" : "picker-option";
      item.appendChild(document.createTextNode(result.label));
      if (result.detail) {
        var detail = document.createElement("small");
        detail.textContent = " " + result.detail;
        item.appendChild(detail);
      }
      self.listbox.appendChild(item);
    });
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    var found = this.results.filter(function (r) { return !r.create; }).length;
    this.open(this.results.length > 0);
    this.empty.hidden = this.results.length > 0;
    if (found === 0) {
      this.say(this.data.countNone);
    } else if (more) {
      this.say(format(this.data.countMore, { count: found }));
    } else {
      this.say(format(found === 1 ? this.data.countOne : this.data.countMany, { count: found }));
    }
  };

  Picker.prototype.open = function (shown) {
    this.listbox.hidden = !shown;
    this.input.setAttribute("aria-expanded", shown ? "true" : "false");
  };

  Picker.prototype.close = function () {
    this.open(false);
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
  };

  Picker.prototype.say = function (text) {
    this.status.textContent = text || "";
  };

  Picker.prototype.move = function (step) {
    if (this.listbox.hidden) {
      if (this.results.length) { this.open(true); } else { this.fetch(); return; }
    }
    var count = this.results.length;
    if (!count) { return; }
    this.active = (this.active + step + count) % count;
    var self = this;
    this.listbox.querySelectorAll("[role=option]").forEach(function (item, index) {
      item.setAttribute("aria-selected", index === self.active ? "true" : "false");
    });
    var current = this.listbox.children[this.active];
    this.input.setAttribute("aria-activedescendant", current.id);
    current.scrollIntoView({ block: "nearest" });
  };

  Picker.prototype.key = function (event) {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      this.move(1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      this.move(-1);
    } else if (event.key === "Enter") {
      if (!this.listbox.hidden && this.active >= 0) {
        event.preventDefault();
        this.choose(this.active);
      } else if (!this.listbox.hidden || (this.multiple && this.input.value.trim())) {
        event.preventDefault();  // Enter in the search box does not send the form
      }
    } else if (event.key === "Escape") {
      if (!this.listbox.hidden) {
        event.preventDefault();
        this.close();
      } else if (!this.multiple && this.input.value) {
        event.preventDefault();
        this.input.value = "";
        this.select.value = "";
      }
    }
  };

  Picker.prototype.choose = function (index) {
    var result = this.results[index];
    if (!result) { return; }
    if (result.create) { this.createThen(result.create); return; }
    this.take(result);
  };

  Picker.prototype.take = function (result, message) {
    this.close();
    this.empty.hidden = true;
    if (this.multiple) {
      this.addChip(String(result.id), result.label, result.detail);
      this.input.value = "";
      this.say(message || format(this.data.added, { label: result.label }));
    } else {
      var option = Array.prototype.find.call(this.select.options, function (o) {
        return o.value === String(result.id);
      });
      if (!option) {
        option = new Option(result.label, String(result.id));
        this.select.add(option);
      }
      this.select.value = String(result.id);
      this.input.value = result.label;
      this.say(message || format(this.data.chosen, { label: result.label }));
    }
    this.input.focus();
  };

  // ``detail`` (a town, an organisation) tells two chips of the same name apart.
  Picker.prototype.addChip = function (id, label, detail) {
    if (this.chosenIds().indexOf(id) >= 0) { return; }
    var self = this;
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = this.data.name;
    hidden.value = id;
    this.holder.appendChild(hidden);
    var chip = document.createElement("li");
    chip.className = "picker-chip";
    chip.appendChild(document.createTextNode(label + " "));
    if (detail) {
      var small = document.createElement("small");
      small.textContent = detail + " ";
      chip.appendChild(small);
    }
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "picker-remove";
    remove.setAttribute("aria-label", format(this.data.remove, { label: label }));
    remove.textContent = "\u00d7";  // the multiplication sign, a cross
    remove.addEventListener("click", function () {
      hidden.remove();
      chip.remove();
      self.chips.hidden = !self.chips.children.length;
      self.say(format(self.data.removed, { label: label }));
      self.input.focus();
    });
    chip.appendChild(remove);
    this.chips.appendChild(chip);
    this.chips.hidden = false;
  };

  Picker.prototype.createThen = function (name) {
    var self = this;
    var body = new FormData();
    body.append("name", name);
    body.append("kind", "autre");
    body.append("csrf_token", csrfToken(this.root));
    if (this.data.mixed) { body.append("mixed", "1"); }
    window.fetch(this.data.createUrl, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken(this.root) }
    }).then(function (response) {
      return response.json().then(function (answer) {
        if (!response.ok) { throw new Error(answer.error || String(response.status)); }
        return answer;
      });
    }).then(function (answer) {
      self.take(answer, answer.message);
    }).catch(function (error) {
      self.close();
      self.say(format(self.data.createFailed, { error: error.message }));
    });
  };

  document.querySelectorAll("[data-picker]").forEach(function (root) {
    new Picker(root);
  });
})();
