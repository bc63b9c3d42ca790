// The council-area picker: each <select data-kil-area> becomes a search box (GOV.UK's
// accessible-autocomplete). Without this script the select works as it is.
(function () {
  "use strict";
  if (typeof window.accessibleAutocomplete === "undefined") return;
  document.querySelectorAll("select[data-kil-area]").forEach(function (select) {
    var hasError = select.classList.contains("govuk-select--error");
    var describedBy = select.getAttribute("aria-describedby");
    window.accessibleAutocomplete.enhanceSelectElement({
      selectElement: select,
      defaultValue: select.getAttribute("data-kil-typed") || "",
      minLength: 2,
      autoselect: false,
      showNoOptionsFound: true,
      inputClasses: hasError ? "govuk-input--error" : null,
      tNoResults: function () { return "No council area matches: try part of the name, or its code"; },
      tStatusQueryTooShort: function (n) { return "Type " + n + " or more characters to search"; }
    });
    var input = document.getElementById(select.id.replace(/-select$/, ""));
    if (input && describedBy) input.setAttribute("aria-describedby", describedBy);
    // Text that matches no area is sent as typed, so the form refuses it in words naming it
    // instead of quietly saving no area.
    if (input && select.form) {
      select.form.addEventListener("submit", function () {
        var typed = input.value.trim();
        if (typed && !select.value) select.add(new Option(typed, typed, true, true));
      });
    }
  });
})();
