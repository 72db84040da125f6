/* The story page: who else has it open (a ping every 20 s), one-click related headlines,
   the tag widget with suggestions, and the lead photo's alt-text check. */
(function () {
  "use strict";
  var PING_EVERY_MS = 20000;

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text) node.textContent = text;
    return node;
  }

  function startPresence() {
    var box = document.querySelector("[data-presence-url]");
    if (!box || !window.fetch) return;
    function ping() {
      fetch(box.dataset.presenceUrl, {
        method: "POST", credentials: "same-origin",
        headers: {"X-CSRFToken": csrfToken(), "Accept": "application/json"}
      }).then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) return;
          box.textContent = data.others.length
            ? "Also open by: " + data.others.map(function (o) { return o.name; }).join(", ") +
              ". Saving over each other is refused, but talk first."
            : "";
        }).catch(function () {});
    }
    ping();
    setInterval(ping, PING_EVERY_MS);
  }

  function addRelated(button) {
    // Click the related-headlines inline's own "add another" link, then fill in the new row.
    var group = document.getElementById("related_headlines-group");
    if (!group) return;
    var addLink = group.querySelector(".add-row a");
    if (!addLink) return;
    var panel = group.closest("details");
    if (panel) panel.open = true;
    addLink.click();
    var rows = group.querySelectorAll(".form-row.dynamic-related_headlines, tr.dynamic-related_headlines");
    var row = rows[rows.length - 1];
    if (!row) return;
    var select = row.querySelector("select[name$='-target']");
    var position = row.querySelector("input[name$='-position']");
    if (select) {
      var option = new Option(button.dataset.headline, button.dataset.addRelated, true, true);
      select.appendChild(option);
      if (window.django && window.django.jQuery) window.django.jQuery(select).trigger("change");
    }
    if (position) position.value = String(rows.length - 1);
    button.disabled = true;
    button.textContent = "Added";
  }

  // -- tags: chips with suggestions, written back to the plain field ---------------------------

  function parseTags(text) {
    // The tag library's own format: comma-separated, names with spaces or commas in quotes.
    var names = [], match, pattern = /"([^"]*)"|([^,]+)/g;
    while ((match = pattern.exec(text || "")) !== null) {
      var name = (match[1] !== undefined ? match[1] : match[2]).trim();
      if (name && names.indexOf(name) === -1) names.push(name);
    }
    return names;
  }

  function writeTags(names) {
    return names.map(function (name) {
      name = name.replace(/"/g, "");
      return /[\s,]/.test(name) ? "\"" + name + "\"" : name;
    }).join(", ");
  }

  function startTags() {
    var input = document.getElementById("id_tags");
    var url = document.querySelector("[data-tags-url]");
    if (!input || !url || !window.fetch || input.type === "hidden") return;
    var names = parseTags(input.value);
    var widget = el("div", {"class": "tag-widget"});
    var chips = el("ul", {"class": "tag-chips", "aria-label": "Tags of this story"});
    var entry = el("input", {type: "text", id: "id_tags_entry", "class": "tag-entry", autocomplete: "off",
      list: "desk-tag-names", "aria-describedby": "id_tags_helptext", placeholder: "Add a tag, then Enter"});
    var list = el("datalist", {id: "desk-tag-names"});
    widget.appendChild(chips);
    widget.appendChild(entry);
    widget.appendChild(list);
    input.type = "hidden";
    input.after(widget);
    var label = document.querySelector("label[for=id_tags]");
    if (label) label.setAttribute("for", "id_tags_entry");

    function render() {
      chips.textContent = "";
      names.forEach(function (name) {
        var chip = el("li", {"class": "tag-chip"});
        chip.appendChild(el("span", {}, name));
        var remove = el("button", {type: "button", "class": "tag-remove", "aria-label": "Remove tag " + name}, "\u2715");
        remove.addEventListener("click", function () {
          names = names.filter(function (n) { return n !== name; });
          sync();
          entry.focus();
        });
        chip.appendChild(remove);
        chips.appendChild(chip);
      });
    }
    function sync() {
      input.value = writeTags(names);
      input.dispatchEvent(new Event("change", {bubbles: true}));
      render();
    }
    function commit() {
      parseTags(entry.value.replace(/"/g, "")).forEach(function (name) {
        var known = names.some(function (n) { return n.toLowerCase() === name.toLowerCase(); });
        if (!known) names.push(name);
      });
      entry.value = "";
      sync();
    }
    entry.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === ",") {
        if (entry.value.trim()) { event.preventDefault(); commit(); }
        else if (event.key === "Enter") event.preventDefault();
      } else if (event.key === "Backspace" && !entry.value && names.length) {
        names.pop();
        sync();
      }
    });
    entry.addEventListener("change", function () {
      // Picking a suggestion from the list adds it at once.
      var chosen = Array.prototype.some.call(list.options, function (o) { return o.value === entry.value; });
      if (chosen) commit();
    });
    entry.addEventListener("blur", function () { if (entry.value.trim()) commit(); });
    var pending;
    entry.addEventListener("input", function () {
      clearTimeout(pending);
      pending = setTimeout(function () {
        var term = entry.value.trim();
        if (!term) return;
        fetch(url.dataset.tagsUrl + "?q=" + encodeURIComponent(term), {credentials: "same-origin"})
          .then(function (response) { return response.ok ? response.json() : {tags: []}; })
          .then(function (data) {
            list.textContent = "";
            data.tags.forEach(function (name) {
              if (names.indexOf(name) === -1) list.appendChild(el("option", {value: name}));
            });
          }).catch(function () {});
      }, 150);
    });
    document.addEventListener("tags:reset", function () { names = parseTags(input.value); render(); });
    render();
  }

  // -- the lead photo's alt text, which should not repeat the caption ----------------------------
  // (Dropping and previewing the picture: photo-drop.js.)

  function startLeadPhoto() {
    var alt = document.getElementById("id_lead_photo_alt");
    var caption = document.getElementById("id_lead_photo_caption");
    var warning = document.querySelector("[data-alt-warning]");
    if (!alt || !caption || !warning) return;
    function words(text) { return text.replace(/\s+/g, " ").trim().replace(/\.$/, "").toLowerCase(); }
    function check() { warning.hidden = !(alt.value.trim() && words(alt.value) === words(caption.value)); }
    alt.addEventListener("input", check);
    caption.addEventListener("input", check);
    check();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-related]");
    if (button) addRelated(button);
  });
  // -- names for the inline tables' controls, which Django labels only by column ------------

  function nameTableControls(root) {
    (root || document).querySelectorAll(".inline-group .tabular table").forEach(function (table) {
      var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      table.querySelectorAll("tbody tr").forEach(function (row, n) {
        Array.prototype.forEach.call(row.children, function (cell, column) {
          var head = heads[column] || "";
          if (!head) return;
          cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (control) {
            if (!control.labels || !control.labels.length) control.setAttribute("aria-label", head + ", row " + (n + 1));
          });
          cell.querySelectorAll(".select2-selection[role=combobox]").forEach(function (box) {
            box.setAttribute("aria-label", head + ", row " + (n + 1));
          });
        });
      });
    });
    document.querySelectorAll(".select2-selection[role=combobox], .select2-selection__rendered[role=textbox]").forEach(function (box) {
      if (box.getAttribute("aria-label")) return;
      var container = box.closest(".select2-container");
      var select = container && container.previousElementSibling;
      var label = select && select.labels && select.labels[0];
      if (label) box.setAttribute("aria-label", label.textContent.replace(":", "").trim());
    });
  }

  function start() {
    startPresence(); startTags(); startLeadPhoto();
    // select2 builds its boxes once the page has loaded, and again for each added row.
    window.addEventListener("load", function () { nameTableControls(); });
    document.addEventListener("formset:added", function () { setTimeout(nameTableControls, 0); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
