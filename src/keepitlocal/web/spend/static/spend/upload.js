// Uploads with a progress bar: the form is sent with XMLHttpRequest so the browser can report
// how much has gone. On success the server answers {"redirect": url}; on a problem it sends the
// page again with the error messages, which replaces this one. Without JavaScript the form
// posts as usual.
(function () {
  "use strict";
  if (!window.FormData || !window.XMLHttpRequest) { return; }
  document.querySelectorAll("form[data-spend-upload]").forEach(function (form) {
    var box = form.querySelector("[data-upload-progress]");
    var bar = box && box.querySelector("progress");
    var text = box && box.querySelector("[data-upload-text]");
    form.addEventListener("submit", function (event) {
      var input = form.querySelector("input[type=file]");
      if (!box || !input || !input.files || !input.files.length) { return; }  // server says why
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      if (button) { button.disabled = true; }
      box.hidden = false;
      var request = new XMLHttpRequest();
      request.open("POST", form.getAttribute("action") || window.location.href);
      request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      request.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) { return; }
        var percent = Math.round((e.loaded / e.total) * 100);
        bar.value = percent;
        text.textContent = "Uploaded " + percent + "%";
      });
      request.upload.addEventListener("load", function () {
        bar.removeAttribute("value");  // indeterminate while the server reads the file
        text.textContent = "Uploaded. Reading the file…";
      });
      request.addEventListener("load", function () {
        var type = request.getResponseHeader("Content-Type") || "";
        if (request.status === 200 && type.indexOf("application/json") === 0) {
          var data = JSON.parse(request.responseText);
          var target = new URL(data.redirect, window.location.href);
          text.textContent = "Done. Opening the next page…";
          if (target.pathname + target.search === window.location.pathname + window.location.search) {
            window.location.hash = target.hash;  // the same page: a new hash alone would not reload
            window.location.reload();
          } else {
            window.location.assign(target.href);
          }
          return;
        }
        // The page with the error messages: its main part replaces this one's. (Writing the whole
        // document would run its inline scripts under this page's Content-Security-Policy nonce,
        // which refuses them.)
        var page = new DOMParser().parseFromString(request.responseText, "text/html");
        var main = page.querySelector("main");
        if (!main) { window.location.reload(); return; }
        document.title = page.title;
        document.querySelector("main").replaceWith(document.importNode(main, true));
        var summary = document.querySelector(".govuk-error-summary");
        if (summary) { summary.setAttribute("tabindex", "-1"); summary.focus(); }
      });
      request.addEventListener("error", function () {
        text.textContent = "The upload failed: check your connection and try again.";
        if (button) { button.disabled = false; }
      });
      request.send(new FormData(form));
    });
  });
}());
