/* Autosave: the story form's words are kept in this browser's local storage as the editor
   types, so a closed tab, a crash or a refused save loses nothing. On the next visit the page
   offers the kept words back (Restore / Discard). A save that went through (the story's
   version moved on) clears them. Nothing leaves the browser: the server's history is the
   revisions. */
(function () {
  "use strict";
  var FIELDS = ["headline", "dek", "body", "tags", "dateline_place", "dateline_date", "dateline_agency"];
  var EVERY_MS = 1500;

  function start() {
    var marker = document.querySelector("[data-autosave-key]");
    var form = marker && marker.closest("form");
    var box = document.querySelector("[data-autosave-box]");
    if (!form || !box || !window.localStorage) return;
    var key = marker.dataset.autosaveKey;
    var opened = parseInt(marker.dataset.openedVersion, 10) || 0;
    var isNew = /:new$/.test(key);

    function field(name) { return form.querySelector("[name=" + name + "]"); }
    function normalBody(text) {
      try { return JSON.stringify(JSON.parse(text || "[]")); } catch (e) { return text; }
    }
    function current() {
      var values = {};
      FIELDS.forEach(function (name) {
        var input = field(name);
        if (!input) return;
        if (name !== "body") values[name] = input.value;
        else if (input.bodyEditor && input.bodyEditor.list) values[name] = JSON.stringify(input.bodyEditor.blocks());
        else values[name] = normalBody(input.value);
      });
      return values;
    }
    function same(a, b) {
      return FIELDS.every(function (name) { return (a[name] || "") === (b[name] || ""); });
    }
    function read() {
      try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
    }
    function write(entry) {
      try { localStorage.setItem(key, JSON.stringify(entry)); } catch (e) { /* storage full: keep going */ }
    }

    // A story page reached after adding a story: the add form's kept words were saved.
    if (!isNew) {
      var added = (function () { try { return JSON.parse(localStorage.getItem("newsroom:story:new") || "null"); } catch (e) { return null; } })();
      if (added && added.submitted) localStorage.removeItem("newsroom:story:new");
    }

    var kept = read();
    if (kept && kept.submitted && opened > kept.opened) {
      localStorage.removeItem(key);  // that save went through
      kept = null;
    }
    if (kept && !same(kept.fields, current())) offer(kept);
    else if (kept) localStorage.removeItem(key);

    function offer(entry) {
      var when = new Date(entry.savedAt);
      box.hidden = false;
      box.textContent = "";
      var text = "Unsaved work on this story from " + when.toLocaleString() + " is kept in this browser";
      if (entry.opened && entry.opened !== opened) text += " (made on version " + entry.opened + "; the story is now at version " + opened + ")";
      box.appendChild(document.createTextNode(text + ". "));
      var restore = document.createElement("button");
      restore.type = "button";
      restore.className = "button default";
      restore.textContent = "Restore it";
      restore.setAttribute("data-autosave-restore", "");
      var discard = document.createElement("button");
      discard.type = "button";
      discard.className = "button";
      discard.textContent = "Discard";
      box.appendChild(restore);
      box.appendChild(discard);
      restore.addEventListener("click", function () {
        FIELDS.forEach(function (name) {
          var input = field(name);
          if (!input || entry.fields[name] === undefined) return;
          input.value = entry.fields[name];
          if (name === "body" && input.bodyEditor) {
            try { input.bodyEditor.reload(JSON.parse(entry.fields.body)); } catch (e) { /* the raw JSON stays */ }
          }
        });
        document.dispatchEvent(new CustomEvent("tags:reset"));
        box.textContent = "Restored. Check it, then save.";
        dirty = true;
      });
      discard.addEventListener("click", function () {
        localStorage.removeItem(key);
        box.hidden = true;
      });
    }

    var dirty = false, last = JSON.stringify(current());
    function touched() { dirty = true; }
    form.addEventListener("input", touched);
    form.addEventListener("change", touched);
    form.addEventListener("body:changed", touched);
    setInterval(function () {
      if (!dirty) return;
      var values = current(), text = JSON.stringify(values);
      if (text === last) return;
      last = text;
      write({opened: opened, savedAt: Date.now(), submitted: false, fields: values});
    }, EVERY_MS);
    form.addEventListener("submit", function () {
      if (!dirty) return;
      write({opened: opened, savedAt: Date.now(), submitted: true, fields: current()});
    });
  }
  // After the body editor and the tag widget have set themselves up.
  if (document.readyState === "complete") setTimeout(start, 0);
  else window.addEventListener("load", function () { setTimeout(start, 0); });
})();
