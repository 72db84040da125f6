/* A file input marked data-photo-drop becomes a drop zone that shows the chosen picture at once
   (a data: URL, which the page's CSP allows for images). */
(function () {
  "use strict";
  function enhance(input) {
    var zone = input.closest(".form-row, .side-field") || input.parentNode;
    var preview = document.createElement("img");
    preview.className = "photo-preview";
    preview.alt = "Preview of the chosen picture";
    preview.hidden = true;
    input.insertAdjacentElement("afterend", preview);
    zone.classList.add("photo-drop");
    ["dragenter", "dragover"].forEach(function (type) {
      zone.addEventListener(type, function (event) { event.preventDefault(); zone.classList.add("dragging"); });
    });
    ["dragleave", "drop"].forEach(function (type) {
      zone.addEventListener(type, function () { zone.classList.remove("dragging"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        input.dispatchEvent(new Event("change", {bubbles: true}));
      }
    });
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file || !window.FileReader) { preview.hidden = true; return; }
      var reader = new FileReader();
      reader.onload = function () { preview.src = reader.result; preview.hidden = false; };
      reader.readAsDataURL(file);
    });
  }
  function start() { document.querySelectorAll("input[type=file][data-photo-drop]").forEach(enhance); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
