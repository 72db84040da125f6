/* Photo form: drop a file on the upload field, and click the picture to set the focal point. */
(function () {
  "use strict";
  function dropZone(input) {
    var zone = document.createElement("div");
    zone.className = "photo-drop";
    zone.textContent = "Drop a photo here, or choose a file: ";
    input.parentNode.insertBefore(zone, input);
    zone.appendChild(input);
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
        zone.firstChild.textContent = "Ready to upload: " + input.files[0].name + " ";
      }
    });
  }

  function focalPicker(box) {
    var x = document.getElementById("id_focal_x"), y = document.getElementById("id_focal_y");
    var dot = box.querySelector(".focal-dot"), img = box.querySelector("img");
    if (!x || !y) return;
    function show() {
      if (x.value === "" || y.value === "") return;
      dot.hidden = false;
      dot.style.left = (parseFloat(x.value) * 100) + "%";
      dot.style.top = (parseFloat(y.value) * 100) + "%";
    }
    img.addEventListener("click", function (event) {
      var rect = img.getBoundingClientRect();
      x.value = ((event.clientX - rect.left) / rect.width).toFixed(3);
      y.value = ((event.clientY - rect.top) / rect.height).toFixed(3);
      show();
    });
    show();
  }

  function start() {
    var input = document.querySelector("input[type=file][name=image]");
    if (input) dropZone(input);
    var box = document.querySelector("[data-focal-picker]");
    if (box) focalPicker(box);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
