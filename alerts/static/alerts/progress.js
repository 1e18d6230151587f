/* The progress page follows "alerts.progress" on the page's socket.
   Without this file a refresh shows the same figures. */
(function () {
  "use strict";

  function cell(tag, text, scope) {
    var node = document.createElement(tag);
    node.textContent = String(text);
    if (scope) { node.setAttribute("scope", scope); }
    return node;
  }

  function show(section, event) {
    var percent = event.total ? Math.round((100 * event.acknowledged) / event.total) : 0;
    section.querySelector("[data-total-acknowledged]").textContent = String(event.acknowledged);
    section.querySelector("[data-total]").textContent = String(event.total);
    section.querySelector("[data-total-percent]").textContent = String(percent);
    var body = section.querySelector("[data-groups]");
    var rows = document.createDocumentFragment();
    event.groups.forEach(function (group) {
      var row = document.createElement("tr");
      row.appendChild(cell("th", group.other ? section.dataset.otherLabel : group.name, "row"));
      row.appendChild(cell("td", group.acknowledged));
      row.appendChild(cell("td", group.total));
      rows.appendChild(row);
    });
    body.replaceChildren(rows);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var section = document.querySelector("[data-alert-progress]");
    if (!section || !window.WerkplekLive) { return; }
    WerkplekLive.on("alerts.progress", function (event) {
      if (String(event.message) === section.dataset.alertProgress) { show(section, event); }
    });
  });
})();
