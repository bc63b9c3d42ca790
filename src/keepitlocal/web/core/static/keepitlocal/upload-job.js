// A large upload's page while the worker reads it: poll the small JSON endpoint, update the words
// (an aria-live region) and the bar, and reload once the job has ended (the page then opens the
// next step, or lists why the file was refused).
(function () {
  "use strict";
  var root = document.getElementById("kil-upload-job");
  if (!root || !window.fetch || !window.kilPoll) { return; }
  var url = root.getAttribute("data-url");
  var label = root.querySelector("[data-job-label]");
  var progress = root.querySelector("[data-job-progress]");
  var bar = root.querySelector("[data-job-bar]");
  var delay = 800;

  function update(data) {
    if (data.done) {
      window.location.assign(root.getAttribute("data-page"));
      return true;
    }
    if (label.textContent !== data.label) { label.textContent = data.label; }
    if (progress.textContent !== data.progress) { progress.textContent = data.progress; }
    if (bar && data.percent !== null && data.percent !== undefined &&
        String(bar.value) !== String(data.percent)) {
      bar.value = data.percent;
      bar.textContent = data.percent + "%";
    }
    return false;
  }

  window.kilPoll(url, update, delay, 1.3, 4000);
}());
