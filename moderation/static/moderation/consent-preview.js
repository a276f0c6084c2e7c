// The permission page: the preview of the customer's words shows the name they
// pick, as it would appear. Without script each choice's label already reads
// that way ("— Cora C."), so this only keeps the preview in step.
(function () {
  "use strict";
  var preview = document.getElementById("attribution-preview");
  var choices = document.querySelectorAll("input[data-attribution]");
  if (!preview || !choices.length) {
    return;
  }
  function follow() {
    choices.forEach(function (choice) {
      if (choice.checked) {
        preview.textContent = choice.getAttribute("data-attribution");
      }
    });
  }
  choices.forEach(function (choice) {
    choice.addEventListener("change", follow);
  });
  follow(); // a browser that restored an earlier choice on "Back"
})();
