// The run's status page: poll the small JSON endpoint, update the text (an aria-live region)
// and the progress bar (the engine's own progress, stored on the run), and open the dashboard
// when the figures are ready.
(function () {
  "use strict";
  var root = document.getElementById("spend-run");
  if (!root || !window.fetch || !window.kilPoll) { return; }
  var url = root.getAttribute("data-url");
  var tags = { queued: "govuk-tag--yellow", running: "govuk-tag--blue", done: "govuk-tag--green",
               failed: "govuk-tag--red" };
  var label = root.querySelector("[data-run-label]");
  var progress = root.querySelector("[data-run-progress]");
  var done = root.querySelector("[data-run-done]");
  var elapsed = root.querySelector("[data-run-elapsed]");
  var bar = root.querySelector("[data-run-bar]");
  var percent = root.querySelector("[data-run-percent]");
  var started = null;
  var delay = 1000;

  // How long the run has been going, outside the live region so it is not read out every second.
  function tick() {
    if (!elapsed || !started) { return; }
    var seconds = Math.max(0, Math.round((Date.now() - started) / 1000));
    var minutes = Math.floor(seconds / 60);
    elapsed.hidden = false;
    elapsed.textContent = "Running for " + (minutes ? minutes + " min " : "") + (seconds % 60) + " s.";
  }
  window.setInterval(tick, 1000);

  function update(data) {
    started = data.started && data.status === "running" ? Date.parse(data.started) : null;
    if (!started && elapsed) { elapsed.hidden = true; }
    if (label.textContent !== data.label) {
      label.textContent = data.label;
      label.className = "govuk-tag " + (tags[data.status] || "govuk-tag--grey");
    }
    // Once done, the tag says "Finished": the progress line says what happens next instead.
    var text = data.status === "done" ? "The figures are ready: opening the dashboard." : data.progress;
    if (progress.textContent !== text) { progress.textContent = text; }
    var value = data.status === "done" ? 100 : data.percent;
    if (bar && value !== null && value !== undefined && String(bar.value) !== String(value)) {
      bar.value = value;
      bar.textContent = value + "%";
      percent.textContent = value + "% done";
    }
    if (data.status === "done" && data.dashboard) {
      done.hidden = false;
      window.setTimeout(function () { window.location.assign(data.dashboard); }, 800);
      return true;
    }
    if (data.status === "failed") {
      window.location.reload();  // the page lists the problems
      return true;
    }
    return false;
  }

  window.kilPoll(url, update, delay, 1.5, 5000);
}());
