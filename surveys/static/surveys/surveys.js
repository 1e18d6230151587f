/* Surveys: save answers while they are given, so an interruption loses nothing.
   The form works without this file: every button press saves too. */
(function () {
  "use strict";

  function autosave(form) {
    var status = form.querySelector(".autosave-status");
    var timer = null;
    var pending = false;
    var saving = false;

    function show(text) {
      if (!status) return;
      status.hidden = false;
      status.textContent = text;
    }

    function save() {
      if (saving) { pending = true; return; }
      saving = true;
      pending = false;
      var body = new FormData(form);
      body.delete("go");
      fetch(form.action, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-Autosave": "1" }
      })
        .then(function (response) {
          if (response.ok) show(form.dataset.savedText || "✓");
          else if (response.status === 400) show(form.dataset.invalidText || "!");
          else show(form.dataset.failedText || "!");
        })
        .catch(function () { show(form.dataset.failedText || "!"); })
        .then(function () {
          saving = false;
          if (pending) save();
        });
    }

    function soon(delay) {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, delay);
    }

    form.addEventListener("change", function () { soon(150); });
    form.addEventListener("input", function (event) {
      if (event.target.matches("input[type=text], input[type=number], textarea")) soon(800);
    });
    // Leaving the page (or a terminal logging out) should not wait for the timer.
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && timer) { window.clearTimeout(timer); save(); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-autosave]").forEach(autosave);
  });
})();
