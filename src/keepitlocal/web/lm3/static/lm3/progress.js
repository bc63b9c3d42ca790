// Survey progress without reloading: poll the JSON endpoint and update the counts, the meter and
// the rows of suppliers who have just answered. The text sits in an aria-live region.
(function () {
  "use strict";
  var root = document.getElementById("lm3-progress");
  if (!root || !window.fetch) { return; }
  var url = root.getAttribute("data-url");
  var interval = parseInt(root.getAttribute("data-interval"), 10) || 5000;
  var tags = { green: "govuk-tag--green", amber: "govuk-tag--orange", red: "govuk-tag--red" };
  var last = null;

  function shownIds() {
    var ids = [];
    root.querySelectorAll("tr[data-supplier]").forEach(function (row) {
      if (!row.hasAttribute("data-answered")) { ids.push(row.getAttribute("data-supplier")); }
    });
    return ids;
  }

  function update(data) {
    var key = [data.responded, data.share, data.confidence].join("|");
    if (key !== last) {
      root.querySelectorAll("[data-field]").forEach(function (element) {
        var name = element.getAttribute("data-field");
        if (!(name in data)) { return; }
        var value = String(data[name]);
        if (element.hasAttribute("data-tag")) {
          element.className = "govuk-tag " + (tags[value] || "govuk-tag--grey");
          value = value.charAt(0).toUpperCase() + value.slice(1);
        }
        if (element.textContent !== value) { element.textContent = value; }
      });
      var meter = document.getElementById("confidence-meter");
      if (meter) {
        meter.value = parseFloat(data.share);
        meter.textContent = data.share_percent;
      }
      last = key;
    }
    (data.answered || []).forEach(function (id) {
      var row = root.querySelector('tr[data-supplier="' + id + '"]');
      if (!row || row.hasAttribute("data-answered")) { return; }
      row.setAttribute("data-answered", "");
      var status = row.querySelector("[data-status]");
      if (status) { status.innerHTML = '<strong class="govuk-tag govuk-tag--green">Answered</strong>'; }
    });
  }

  function poll() {
    var ids = shownIds();
    fetch(url + (ids.length ? "?shown=" + ids.join(",") : ""), {
      credentials: "same-origin", headers: { Accept: "application/json" }
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (data) { update(data); }
      return data && data.status === "closed";
    }).catch(function () { return false; /* offline for a moment: try again next time */ })
      .then(function (closed) { if (!closed) { window.setTimeout(poll, interval); } });
  }

  window.setTimeout(poll, interval);
}());
