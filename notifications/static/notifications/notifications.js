/* Notifications: the unread badges follow "notifications.unread" on the page's socket.
   Without this file the badge is right at every page load. */
(function () {
  "use strict";

  function setBadges(count) {
    document.querySelectorAll("[data-badge=notifications]").forEach(function (badge) {
      badge.textContent = String(count);
      badge.hidden = count === 0;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (window.WerkplekLive) {
      WerkplekLive.on("notifications.unread", function (event) { setBadges(event.unread); });
    }
  });
})();
