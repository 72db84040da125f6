/* The story page: who else has it open (a ping every 20 s), one-click related headlines,
   and tag suggestions. */
(function () {
  "use strict";
  var PING_EVERY_MS = 20000;

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
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

  function startTagSuggestions() {
    // A native <datalist> of whole values: what is typed so far + an existing tag for the last
    // term. Typing a name that does not exist yet creates the tag on save.
    var input = document.getElementById("id_tags");
    var url = document.querySelector("[data-tags-url]");
    if (!input || !url || !window.fetch) return;
    var list = document.createElement("datalist");
    list.id = "desk-tag-names";
    input.setAttribute("list", list.id);
    input.setAttribute("autocomplete", "off");
    input.after(list);
    var pending;
    input.addEventListener("input", function () {
      clearTimeout(pending);
      pending = setTimeout(function () {
        var terms = input.value.split(",");
        var last = terms.pop().trim();
        if (!last) return;
        var before = terms.map(function (t) { return t.trim(); }).filter(Boolean);
        fetch(url.dataset.tagsUrl + "?q=" + encodeURIComponent(last), {credentials: "same-origin"})
          .then(function (response) { return response.ok ? response.json() : {tags: []}; })
          .then(function (data) {
            list.textContent = "";
            data.tags.forEach(function (name) {
              if (before.indexOf(name) !== -1) return;
              var option = document.createElement("option");
              option.value = before.concat([name]).join(", ");
              list.appendChild(option);
            });
          }).catch(function () {});
      }, 150);
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-related]");
    if (button) addRelated(button);
  });
  function start() { startPresence(); startTagSuggestions(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
