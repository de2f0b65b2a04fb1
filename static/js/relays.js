// Relay page: the personal line typed is put into every share link as you type
// (without JavaScript, the "Update the links" button does it by reloading).
(function () {
  "use strict";
  function update(line) {
    document.querySelectorAll("[data-share-link]").forEach(function (link) {
      var url = new URL(link.getAttribute("href"), window.location.href);
      if (line) { url.searchParams.set("ligne", line); } else { url.searchParams.delete("ligne"); }
      link.setAttribute("href", url.pathname + url.search);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var field = document.querySelector("#relay-line-form input[name=ligne]");
    if (field) { field.addEventListener("input", function () { update(field.value.trim()); }); }
  });
})();
