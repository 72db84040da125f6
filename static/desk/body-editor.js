/* The story body as ordered blocks. Progressive enhancement of a JSON <textarea>:
   each block is a row (paragraph: prose editor; related/photo/quote: a select) with
   move up / move down / remove; the JSON is written back on every change and on submit. */
(function () {
  "use strict";

  var LABELS = {paragraph: "Paragraph", related: "Related headline", photo: "Photo", quote: "Pull quote"};

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text) node.textContent = text;
    return node;
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

  function BodyEditor(textarea) {
    this.textarea = textarea;
    this.choices = JSON.parse(document.getElementById(textarea.dataset.choices).textContent);
    var blocks;
    try { blocks = JSON.parse(textarea.value || "[]"); } catch (e) { return; }  // leave bad JSON as text
    if (!Array.isArray(blocks)) return;
    this.list = el("ol", {"class": "body-blocks", "aria-label": "Body blocks"});
    this.rows = [];
    textarea.hidden = true;
    var editor = el("div", {"class": "body-editor"});
    editor.appendChild(this.list);
    editor.appendChild(this.toolbar());
    textarea.insertAdjacentElement("afterend", editor);
    blocks.forEach(function (block) { this.add(block); }, this);
    var form = textarea.form, self = this;
    if (form) form.addEventListener("submit", function () { self.write(); });
  }

  BodyEditor.prototype.toolbar = function () {
    var bar = el("div", {"class": "body-add"}), self = this;
    bar.appendChild(el("span", {}, "Add: "));
    Object.keys(LABELS).forEach(function (type) {
      var button = el("button", {type: "button", "class": "button", "data-add": type}, "+ " + LABELS[type]);
      button.addEventListener("click", function () {
        var row = self.add(type === "paragraph" ? {type: type, html: ""} : {type: type, id: null});
        self.write();
        var focus = row.querySelector("select, textarea, [contenteditable]");
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
    remove.addEventListener("click", function () { row.remove(); self.write(); });
    head.appendChild(remove);
    row.appendChild(head);
    if (block.type === "paragraph") {
      var area = el("textarea", {rows: 3, "class": "body-paragraph"});
      area.value = block.html || "";
      area.addEventListener("input", function () { self.write(); });
      row.appendChild(area);
      this.list.appendChild(row);
      if (window.DjangoProseEditor) {
        window.DjangoProseEditor.createEditor(area, this.choices.paragraphConfig);
      }
    } else {
      var select = el("select", {"class": "body-ref", id: "id_body_" + block.type + "_" + Date.now() + Math.floor(Math.random() * 1000)});
      select.appendChild(el("option", {value: ""}, "— choose —"));
      (this.choices[block.type] || []).forEach(function (choice) {
        var option = el("option", {value: String(choice[0])}, choice[1]);
        if (choice[0] === block.id) option.selected = true;
        select.appendChild(option);
      });
      if (block.id && !select.value) {  // a reference the lists don't hold: keep it
        var kept = el("option", {value: String(block.id)}, LABELS[block.type] + " #" + block.id);
        kept.selected = true;
        select.appendChild(kept);
      }
      select.addEventListener("change", function () { self.write(); });
      row.appendChild(select);
      if (block.type === "photo" && this.choices.photoAddUrl) {
        var upload = el("a", {href: this.choices.photoAddUrl, "class": "related-widget-wrapper-link add-related",
          id: "add_" + select.id, "data-popup": "yes", title: "Upload a photo"}, " Upload a photo");
        row.appendChild(upload);
      }
      if (block.type === "related" && !(this.choices.related || []).length) {
        row.appendChild(el("p", {"class": "help"}, "Add the headline under \u201cRelated headlines\u201d below and save; then choose it here."));
      }
      if (block.type === "quote" && !(this.choices.quote || []).length) {
        row.appendChild(el("p", {"class": "help"}, "This story has no quotes yet: add them under \u201cQuotes\u201d below and save."));
      }
      select.addEventListener("change", function () { self.write(); });
      this.list.appendChild(row);
    }
    return row;
  };

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
      if (row.dataset.type === "paragraph") {
        paragraphsFrom(row.querySelector("textarea").value).forEach(function (html) {
          blocks.push({type: "paragraph", html: html});
        });
      } else {
        var value = parseInt(row.querySelector("select").value, 10);
        if (value > 0) blocks.push({type: row.dataset.type, id: value});
      }
    });
    return blocks;
  };

  BodyEditor.prototype.write = function () {
    this.textarea.value = JSON.stringify(this.blocks());
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
