// The budget page: choosing "one line per staff member" shows the staff table and form at once,
// before the payroll is saved. Without this script they appear once the choice is saved.
(function () {
  "use strict";
  var section = document.getElementById("staff-section");
  var radios = document.querySelectorAll('input[type="radio"][name="mode"]');
  if (!section || !radios.length) return;
  function show() {
    var chosen = document.querySelector('input[type="radio"][name="mode"]:checked');
    if (chosen) section.hidden = chosen.value !== section.getAttribute("data-payroll-mode");
  }
  radios.forEach(function (radio) { radio.addEventListener("change", show); });
})();
