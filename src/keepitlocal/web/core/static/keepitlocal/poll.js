// Poll a page's small JSON endpoint until `update` says it is finished, backing off from
// `delay` ms by `factor` up to `most` ms; a failed request is tried again later. Used by the
// spend run page and a large upload's page.
window.kilPoll = function (url, update, delay, factor, most) {
  "use strict";
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { return data ? update(data) : false; })
      .catch(function () { return false; })
      .then(function (finished) {
        if (!finished) {
          delay = Math.min(delay * factor, most);
          window.setTimeout(poll, delay);
        }
      });
  }
  window.setTimeout(poll, delay);
};
