// Drag a scheduled message to another day (month view) or hour (week view) of the calendar.
// On drop, POST to the message's move address; the server keeps the time of day when no
// time is given. Without JavaScript, each message has a "move to" form doing the same.
(function () {
  "use strict";
  var dragged = null;

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function announce(text) {
    var status = document.querySelector("[data-cal-status]");
    if (status) { status.textContent = text; status.classList.remove("visually-hidden"); }
  }

  document.addEventListener("dragstart", function (event) {
    var item = event.target.closest && event.target.closest("[data-move-url]");
    if (!item) { return; }
    dragged = item;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", item.dataset.moveUrl);
    item.classList.add("is-dragging");
  });

  document.addEventListener("dragend", function () {
    if (dragged) { dragged.classList.remove("is-dragging"); }
    dragged = null;
    document.querySelectorAll(".is-drop-target").forEach(function (el) { el.classList.remove("is-drop-target"); });
  });

  document.addEventListener("dragover", function (event) {
    var target = event.target.closest && event.target.closest("[data-drop-date]");
    if (!target || !dragged) { return; }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    target.classList.add("is-drop-target");
  });

  document.addEventListener("dragleave", function (event) {
    var target = event.target.closest && event.target.closest("[data-drop-date]");
    if (target && !target.contains(event.relatedTarget)) { target.classList.remove("is-drop-target"); }
  });

  document.addEventListener("drop", function (event) {
    var target = event.target.closest && event.target.closest("[data-drop-date]");
    if (!target || !dragged) { return; }
    event.preventDefault();
    var url = dragged.dataset.moveUrl;
    var body = new FormData();
    body.append("date", target.dataset.dropDate);
    if (target.dataset.dropTime) { body.append("time", target.dataset.dropTime); }
    var list = target.querySelector(".cal-items");
    if (list) { list.prepend(dragged); }  // show it at once; the reload confirms
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (result.ok) { window.location.reload(); } else { announce(result.data.error); window.setTimeout(function () { window.location.reload(); }, 2500); }
    }).catch(function () { window.location.reload(); });
  });
})();
