/* The story body as ordered blocks, with the copy checked where it stands.
   Progressive enhancement of a JSON <textarea>: each block is a row (paragraph: prose editor;
   related headline: its link text and target, linked in place by a word search; photo: a
   picker with search; pull quote: one of the story's quotes) with move up / move down /
   remove. Each paragraph shows the quotes found in it, with Confirm and Edit speaker.
   Related headlines and quotes are the rows of the form's inlines (folded below the body):
   a new one is an inline row until the form is saved, named in the JSON by its form prefix
   ({"type": "related", "row": "related_headlines-2"}), so one save keeps both.
   The JSON is written back on every change and on submit; the server checks all of it. */
(function () {
  "use strict";

  var LABELS = {paragraph: "Paragraph", related: "Related headline", photo: "Photo", quote: "Pull quote"};
  var GROUPS = {related: "related_headlines", quote: "quotes"};
  var uid = 0;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text) node.textContent = text;
    return node;
  }

  function words(text) {
    // Compare copy the way a reader does: case, spacing and quote marks ignored.
    return (text || "").replace(/[\u201c\u201d\u201e\u2033"]/g, "\"").replace(/[\u2018\u2019']/g, "'")
      .replace(/\s+/g, " ").trim().toLowerCase();
  }

  function textOf(html) {
    var holder = document.createElement("div");
    holder.innerHTML = html || "";
    return holder.textContent || "";
  }

  function paragraphsFrom(html) {
    // The prose editor writes <p>…</p><p>…</p>; each <p> becomes its own paragraph block.
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var ps = holder.querySelectorAll(":scope > p");
    if (!ps.length) return html.trim() ? [html.trim()] : [];
    return Array.prototype.map.call(ps, function (p) { return p.innerHTML.trim(); })
      .filter(function (text) { return text && text !== "<br>"; });
  }

  function getJSON(url) {
    return fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; });
  }

  // -- the inline rows (related headlines, quotes) the blocks are bound to -------------------

  function InlineRow(prefix) {
    this.prefix = prefix;
  }
  InlineRow.prototype.field = function (name) {
    return document.querySelector("[name='" + this.prefix + "-" + name + "']");
  };
  InlineRow.prototype.id = function () {
    var input = this.field("id");
    return input && input.value ? parseInt(input.value, 10) : null;
  };
  InlineRow.prototype.selectedText = function (name) {
    var select = this.field(name);
    if (!select || !select.value) return "";
    var option = select.options[select.selectedIndex];
    return option ? option.textContent : "";
  };
  InlineRow.prototype.choose = function (name, value, label) {
    // Works for select2 autocompletes too: the option is added, selected and announced.
    var select = this.field(name);
    if (!select) return;
    var option = Array.prototype.find.call(select.options, function (o) { return o.value === String(value); });
    if (!option) { option = new Option(label, value, true, true); select.appendChild(option); }
    select.value = String(value);
    if (window.django && window.django.jQuery) window.django.jQuery(select).trigger("change");
    else select.dispatchEvent(new Event("change", {bubbles: true}));
  };
  InlineRow.prototype.element = function () {
    var input = this.field("id") || this.field("text") || this.field("headline");
    return input ? input.closest(".inline-related, tr") : null;
  };

  function rowsOf(group) {
    var prefixes = {};
    document.querySelectorAll("[name^='" + group + "-'][name$='-id']").forEach(function (input) {
      var prefix = input.name.slice(0, -3);
      if (!/__prefix__/.test(prefix)) prefixes[prefix] = true;
    });
    return Object.keys(prefixes).map(function (prefix) { return new InlineRow(prefix); });
  }

  function findRow(group, id) {
    return rowsOf(group).find(function (row) { return row.id() === id; }) || null;
  }

  function addInlineRow(group) {
    // Click the inline's own "add another" link: Django's inlines.js numbers the new row.
    var box = document.getElementById(group + "-group");
    var link = box && box.querySelector(".add-row a");
    if (!link) return null;
    var panel = box.closest("details");
    link.click();
    var total = document.querySelector("[name='" + group + "-TOTAL_FORMS']");
    if (panel) panel.open = true;
    return total ? new InlineRow(group + "-" + (parseInt(total.value, 10) - 1)) : null;
  }

  // -- the editor ------------------------------------------------------------------------------

  function BodyEditor(textarea) {
    this.textarea = textarea;
    this.choices = JSON.parse(document.getElementById(textarea.dataset.choices).textContent);
    var blocks;
    try { blocks = JSON.parse(textarea.value || "[]"); } catch (e) { return; }  // leave bad JSON as text
    if (!Array.isArray(blocks)) return;
    this.list = el("ol", {"class": "body-blocks", "aria-label": "Body blocks"});
    textarea.hidden = true;
    var editor = el("div", {"class": "body-editor"});
    editor.appendChild(this.list);
    editor.appendChild(this.toolbar());
    textarea.insertAdjacentElement("afterend", editor);
    this.editor = editor;
    this.load(blocks);
    var form = textarea.form, self = this;
    if (form) form.addEventListener("submit", function () { self.write(); });
  }

  BodyEditor.prototype.load = function (blocks) {
    this.list.textContent = "";
    blocks.forEach(function (block) { this.add(block); }, this);
    if (!this.list.children.length) this.add({type: "paragraph", html: ""});
    this.placeQuotes();
  };

  /** Show ``blocks`` again (autosave restores a closed tab's work through this). */
  BodyEditor.prototype.reload = function (blocks) {
    this.load(blocks);
    this.write();
  };

  BodyEditor.prototype.toolbar = function () {
    var bar = el("div", {"class": "body-add"}), self = this;
    bar.appendChild(el("span", {}, "Add: "));
    Object.keys(LABELS).forEach(function (type) {
      var button = el("button", {type: "button", "class": "button", "data-add": type}, "+ " + LABELS[type]);
      button.addEventListener("click", function () {
        var block = type === "paragraph" ? {type: type, html: ""} : {type: type, id: null};
        if (type === "related") {
          var row = addInlineRow(GROUPS.related);
          if (row) block = {type: type, row: row.prefix};
        }
        var added = self.add(block);
        self.write();
        var focus = added.querySelector("input[type=text], input[type=search], select, textarea, [contenteditable]");
        if (focus) focus.focus();
      });
      bar.appendChild(button);
    });
    return bar;
  };

  BodyEditor.prototype.add = function (block) {
    var row = el("li", {"class": "body-block body-block-" + block.type}), self = this;
    row.dataset.type = block.type;
    var head = el("div", {"class": "body-block-head"});
    head.appendChild(el("span", {"class": "body-block-label"}, LABELS[block.type] || block.type));
    [["\u2191", "Move up", -1], ["\u2193", "Move down", 1]].forEach(function (spec) {
      var b = el("button", {type: "button", "class": "body-move", title: spec[1], "aria-label": spec[1]}, spec[0]);
      b.addEventListener("click", function () { self.move(row, spec[2]); });
      head.appendChild(b);
    });
    var remove = el("button", {type: "button", "class": "body-remove", title: "Remove block", "aria-label": "Remove block"}, "\u2715");
    remove.addEventListener("click", function () { self.remove(row); });
    head.appendChild(remove);
    row.appendChild(head);
    this.list.appendChild(row);
    if (block.type === "paragraph") this.paragraph(row, block);
    else if (block.type === "related") this.related(row, block);
    else if (block.type === "photo") this.photo(row, block);
    else this.pullQuote(row, block);
    return row;
  };

  BodyEditor.prototype.remove = function (row) {
    // A related line added in this session goes with its (unsaved) inline row.
    if (row.inlineRow && !row.inlineRow.id()) {
      var element = row.inlineRow.element();
      var deleteLink = element && element.querySelector(".inline-deletelink");
      if (deleteLink) deleteLink.click();
    }
    row.remove();
    this.write();
  };

  // -- paragraphs, with their quotes -----------------------------------------------------------

  BodyEditor.prototype.paragraph = function (row, block) {
    var self = this;
    var area = el("textarea", {rows: 3, "class": "body-paragraph", "aria-label": "Paragraph text"});
    area.value = block.html || "";
    area.addEventListener("input", function () { self.write(); });
    row.appendChild(area);
    row.appendChild(el("ul", {"class": "block-quotes", "aria-label": "Quotes in this paragraph"}));
    if (window.DjangoProseEditor) window.DjangoProseEditor.createEditor(area, this.choices.paragraphConfig);
    var editable = row.querySelector("[contenteditable]");
    if (editable) {
      editable.setAttribute("aria-label", "Paragraph text");
      editable.setAttribute("aria-multiline", "true");
    }
  };

  BodyEditor.prototype.placeQuotes = function () {
    // Each quote of the story beside the paragraph that holds its words (else the paragraph
    // the importer noted, else the last one).
    var rows = Array.prototype.slice.call(this.list.children);
    var paragraphs = rows.filter(function (r) { return r.dataset.type === "paragraph"; });
    if (!paragraphs.length) return;
    paragraphs.forEach(function (p) { p.querySelector(".block-quotes").textContent = ""; });
    rowsOf(GROUPS.quote).forEach(function (quote) {
      var text = quote.field("text");
      if (!text || !text.value.trim()) return;
      var probe = words(text.value).slice(0, 40);
      var home = paragraphs.find(function (p) {
        return words(textOf(p.querySelector("textarea").value)).indexOf(probe) !== -1;
      });
      if (!home) {
        var position = parseInt((quote.field("position") || {}).value, 10);
        home = rows[position] && rows[position].dataset.type === "paragraph" ? rows[position] : paragraphs[paragraphs.length - 1];
      }
      home.querySelector(".block-quotes").appendChild(this.quoteCard(quote));
    }, this);
  };

  BodyEditor.prototype.quoteCard = function (quote) {
    var card = el("li", {"class": "block-quote", id: "quote-card-" + quote.prefix}), self = this;
    var confirmed = quote.field("confirmed");
    var line = el("p", {});
    var status = el("span", {"class": "quote-status"});
    var speaker = el("span", {"class": "quote-speaker"});
    line.appendChild(status);
    line.appendChild(document.createTextNode(" \u201c" + quote.field("text").value.trim().slice(0, 160) + "\u201d \u2014 "));
    line.appendChild(speaker);
    card.appendChild(line);
    function show() {
      var isConfirmed = confirmed ? confirmed.checked : false;
      card.classList.toggle("is-confirmed", isConfirmed);
      status.textContent = isConfirmed ? "Confirmed:" : "Unconfirmed:";
      speaker.textContent = quote.selectedText("speaker") || "no speaker";
      if (confirmButton) {
        confirmButton.textContent = isConfirmed ? "Undo confirm" : "Confirm";
        confirmButton.setAttribute("aria-pressed", isConfirmed ? "true" : "false");
      }
    }
    var confirmButton = null;
    if (confirmed && confirmed.type === "checkbox") {  // absent when the policy says no
      confirmButton = el("button", {type: "button", "class": "button", "data-confirm-quote": quote.prefix});
      confirmButton.addEventListener("click", function () {
        confirmed.checked = !confirmed.checked;
        confirmed.dispatchEvent(new Event("change", {bubbles: true}));
        show();
      });
      line.appendChild(confirmButton);
    }
    if (quote.field("speaker") && quote.field("speaker").tagName === "SELECT") {
      var edit = el("button", {type: "button", "class": "button", "data-edit-speaker": quote.prefix}, "Edit speaker");
      edit.addEventListener("click", function () {
        var existing = card.querySelector(".speaker-search");
        if (existing) { existing.remove(); return; }
        card.appendChild(self.speakerSearch(quote, show));
        card.querySelector(".speaker-search input").focus();
      });
      line.appendChild(edit);
    }
    show();
    return card;
  };

  BodyEditor.prototype.speakerSearch = function (quote, done) {
    var box = el("div", {"class": "speaker-search"}), self = this;
    var id = "speaker-search-" + (++uid);
    box.appendChild(el("label", {"for": id}, "Who said it?"));
    var input = el("input", {type: "search", id: id, placeholder: "Type a name", autocomplete: "off"});
    var results = el("ul", {"class": "related-results", "aria-live": "polite"});
    box.appendChild(input);
    box.appendChild(results);
    this.searchAs(input, results, function (term) {
      return self.choices.autocompleteUrl + "?app_label=articles&model_name=quote&field_name=speaker&term=" + encodeURIComponent(term);
    }, function (data) {
      return (data && data.results || []).map(function (r) { return {id: r.id, label: r.text}; });
    }, function (item) {
      quote.choose("speaker", item.id, item.label);
      box.remove();
      done();
    });
    return box;
  };

  BodyEditor.prototype.searchAs = function (input, results, urlFor, itemsOf, pick) {
    // Type, wait a moment, list what the server found; each hit is a button (keyboard-ready).
    var pending;
    input.addEventListener("keydown", function (event) { if (event.key === "Enter") event.preventDefault(); });
    input.addEventListener("input", function () {
      clearTimeout(pending);
      pending = setTimeout(function () {
        var term = input.value.trim();
        results.textContent = "";
        if (term.length < 2) return;
        getJSON(urlFor(term)).then(function (data) {
          results.textContent = "";
          var items = itemsOf(data);
          if (!items.length) results.appendChild(el("li", {}, "Nothing found."));
          items.forEach(function (item) {
            var li = el("li", {});
            var button = el("button", {type: "button", "class": "button"}, item.label);
            button.addEventListener("click", function () { pick(item); results.textContent = ""; });
            li.appendChild(button);
            results.appendChild(li);
          });
        }).catch(function () {});
      }, 200);
    });
  };

  // -- related headlines, linked in place -----------------------------------------------------

  BodyEditor.prototype.related = function (row, block) {
    var inline = block.row ? new InlineRow(block.row) : findRow(GROUPS.related, block.id);
    var self = this;
    if (!inline || !inline.field("headline")) {
      row.dataset.keptId = block.id || "";
      row.appendChild(el("p", {"class": "help"}, "Related headline #" + block.id + " is no longer in this story."));
      return;
    }
    row.inlineRow = inline;
    if (inline.id()) row.id = "body-block-related-" + inline.id();
    var box = el("div", {"class": "related-line"});
    var textId = "related-text-" + (++uid);
    box.appendChild(el("label", {"for": textId}, "Link text"));
    var text = el("input", {type: "text", id: textId, maxlength: "300"});
    text.value = inline.field("headline").value;
    box.appendChild(text);
    var target = el("p", {"class": "related-target"});
    box.appendChild(target);
    var warning = el("p", {"class": "desk-warning", hidden: ""});
    var fix = el("button", {type: "button", "class": "button", "data-use-headline": ""}, "Use the story\u2019s headline");
    box.appendChild(warning);
    var searchId = "related-search-" + (++uid);
    box.appendChild(el("label", {"for": searchId}, "Link to a published story"));
    var search = el("input", {type: "search", id: searchId, placeholder: "Words from its headline or text", autocomplete: "off"});
    var results = el("ul", {"class": "related-results", "aria-live": "polite"});
    box.appendChild(search);
    box.appendChild(results);
    row.appendChild(box);

    function show() {
      var headline = inline.selectedText("target");
      var url = (inline.field("url") || {}).value;
      target.textContent = "";
      if (headline) {
        target.appendChild(document.createTextNode("Links to: "));
        target.appendChild(el("strong", {}, headline));
      } else if (url) {
        target.textContent = "Links to " + url;
      } else {
        target.appendChild(el("strong", {"class": "desk-warning"}, "Not linked yet: readers will not see this line."));
      }
      var differs = headline && text.value.trim() && words(text.value) !== words(headline);
      warning.hidden = !differs;
      warning.textContent = differs ? "The link text differs from the story\u2019s headline \u201c" + headline + "\u201d. " : "";
      if (differs) warning.appendChild(fix);
    }
    text.addEventListener("input", function () {
      inline.field("headline").value = text.value;
      show();
    });
    fix.addEventListener("click", function () {
      text.value = inline.selectedText("target");
      inline.field("headline").value = text.value;
      show();
      text.focus();
    });
    this.searchAs(search, results, function (term) {
      return self.choices.storiesUrl + "?q=" + encodeURIComponent(term);
    }, function (data) {
      return (data && data.stories || []).map(function (s) {
        return {id: s.id, label: s.headline + (s.section ? " \u2014 " + s.section : "") + ", " + s.published, headline: s.headline};
      });
    }, function (item) {
      inline.choose("target", item.id, item.headline);
      if (inline.field("url")) inline.field("url").value = "";
      if (!text.value.trim()) { text.value = item.headline; inline.field("headline").value = item.headline; }
      search.value = "";
      show();
      self.write();
    });
    show();
  };

  // -- photos: a picker with search -----------------------------------------------------------

  BodyEditor.prototype.photo = function (row, block) {
    var self = this;
    row.dataset.photoId = block.id || "";
    var current = el("p", {"class": "photo-current"});
    current.textContent = block.id ? "Photo #" + block.id + (block.label ? ": " + block.label : "") : "No photo chosen yet.";
    var known = (this.choices.photo || []).find(function (c) { return c[0] === block.id; });
    if (known) current.textContent = known[1];
    row.appendChild(current);
    var searchId = "photo-search-" + (++uid);
    row.appendChild(el("label", {"for": searchId}, "Find a photo"));
    var search = el("input", {type: "search", id: searchId, placeholder: "Words from its caption, credit or alt text", autocomplete: "off"});
    var results = el("ul", {"class": "related-results", "aria-live": "polite"});
    row.appendChild(search);
    row.appendChild(results);
    this.searchAs(search, results, function (term) {
      return self.choices.autocompleteUrl + "?app_label=articles&model_name=article&field_name=lead_photo&term=" + encodeURIComponent(term);
    }, function (data) {
      return (data && data.results || []).map(function (r) { return {id: parseInt(r.id, 10), label: r.text}; });
    }, function (item) {
      row.dataset.photoId = String(item.id);
      current.textContent = item.label;
      search.value = "";
      self.write();
    });
    if (this.choices.photoAddUrl) {
      row.appendChild(el("a", {href: this.choices.photoAddUrl, "class": "related-widget-wrapper-link add-related",
        id: "add_photo_block_" + (++uid), "data-popup": "yes", title: "Upload a photo"}, " Upload a photo"));
    }
  };

  // -- pull quotes ---------------------------------------------------------------------------

  BodyEditor.prototype.pullQuote = function (row, block) {
    var self = this;
    var selectId = "pull-quote-" + (++uid);
    row.appendChild(el("label", {"for": selectId, "class": "visually-hidden"}, "Quote to pull out"));
    var select = el("select", {"class": "body-ref", id: selectId});
    row.appendChild(select);
    function fill(chosen) {
      select.textContent = "";
      select.appendChild(el("option", {value: ""}, "\u2014 choose a quote \u2014"));
      rowsOf(GROUPS.quote).forEach(function (quote) {
        var text = quote.field("text");
        if (!text || !text.value.trim()) return;
        var label = (quote.selectedText("speaker") || "?") + ": " + text.value.trim().slice(0, 90);
        var option = el("option", {value: quote.prefix}, label);
        if (chosen && (chosen === quote.prefix || chosen === quote.id())) option.selected = true;
        select.appendChild(option);
      });
      if (typeof chosen === "number" && !select.value) {  // a reference the rows don't hold: keep it
        var kept = el("option", {value: "id:" + chosen}, "Quote #" + chosen);
        kept.selected = true;
        select.appendChild(kept);
      }
    }
    fill(block.row || block.id);
    select.addEventListener("focus", function () { fill(select.value); });
    select.addEventListener("change", function () { self.write(); });
    var add = el("button", {type: "button", "class": "button"}, "New quote");
    add.addEventListener("click", function () {
      var quote = addInlineRow(GROUPS.quote);
      if (!quote) return;
      var text = quote.field("text");
      if (text) text.focus();
      fill(quote.prefix);
      select.value = quote.prefix;
      row.appendChild(el("p", {"class": "help"}, "Write the quote and choose its speaker in the Quotes panel below; it is placed here when you save."));
      self.write();
    });
    row.appendChild(add);
  };

  // -- order and output ------------------------------------------------------------------------

  BodyEditor.prototype.move = function (row, step) {
    if (step < 0 && row.previousElementSibling) row.parentNode.insertBefore(row, row.previousElementSibling);
    if (step > 0 && row.nextElementSibling) row.parentNode.insertBefore(row.nextElementSibling, row);
    var focus = row.querySelector("button.body-move");
    if (focus) focus.focus();
    this.write();
  };

  BodyEditor.prototype.blocks = function () {
    var blocks = [];
    Array.prototype.forEach.call(this.list.children, function (row) {
      var type = row.dataset.type;
      if (type === "paragraph") {
        paragraphsFrom(row.querySelector("textarea").value).forEach(function (html) {
          blocks.push({type: "paragraph", html: html});
        });
      } else if (type === "related") {
        var inline = row.inlineRow;
        if (inline && inline.id()) blocks.push({type: type, id: inline.id()});
        else if (inline) blocks.push({type: type, row: inline.prefix});
        else if (row.dataset.keptId) blocks.push({type: type, id: parseInt(row.dataset.keptId, 10)});
      } else if (type === "photo") {
        var photo = parseInt(row.dataset.photoId, 10);
        if (photo > 0) blocks.push({type: type, id: photo});
      } else {
        var value = row.querySelector("select").value;
        if (value.indexOf("id:") === 0) { blocks.push({type: type, id: parseInt(value.slice(3), 10)}); return; }
        var quote = value ? new InlineRow(value) : null;
        if (quote && quote.id()) blocks.push({type: type, id: quote.id()});
        else if (quote) blocks.push({type: type, row: quote.prefix});
      }
    });
    return blocks;
  };

  BodyEditor.prototype.write = function () {
    this.textarea.value = JSON.stringify(this.blocks());
    this.textarea.dispatchEvent(new CustomEvent("body:changed", {bubbles: true}));
  };

  function start() {
    // Tiptap injects its core CSS as an inline <style>, which our CSP refuses; it skips that when
    // a style[data-tiptap-style] exists. The same rules are in desk.css, served from /static/.
    if (!document.querySelector("style[data-tiptap-style]")) {
      var placeholder = document.createElement("style");
      placeholder.setAttribute("data-tiptap-style", "");
      document.head.appendChild(placeholder);
    }
    document.querySelectorAll("textarea[data-body-editor]").forEach(function (textarea) {
      if (!textarea.bodyEditor) textarea.bodyEditor = new BodyEditor(textarea);
    });
  }
  // Module scripts (the prose editor) run before DOMContentLoaded, so it is ready by then.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
