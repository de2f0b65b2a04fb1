// Several files at once, one request each, with a progress bar per file.
// Without JavaScript the form sends every file in one POST and the page lists what was accepted.
(function () {
  "use strict";

  function text(form, key) {
    return form.getAttribute("data-text-" + key) || "";
  }

  function sendOne(form, file, bar, line) {
    return new Promise(function (resolve) {
      var data = new FormData();
      var token = form.querySelector("input[name=csrfmiddlewaretoken]");
      var folder = form.querySelector("input[name=dossier]");
      data.append("csrfmiddlewaretoken", token ? token.value : "");
      if (folder) data.append("dossier", folder.value);
      data.append("files", file, file.name);
      var request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.setRequestHeader("Accept", "application/json");
      request.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) bar.value = Math.round((event.loaded / event.total) * 100);
      });
      request.addEventListener("load", function () {
        var answer = {};
        try { answer = JSON.parse(request.responseText); } catch (error) { answer = {}; }
        bar.value = 100;
        if (answer.ok) {
          line.textContent = text(form, "accepted") + " " + file.name;
        } else {
          line.textContent = text(form, "refused") + " " + file.name + " : " + (answer.error || text(form, "failed"));
          line.classList.add("error");
        }
        resolve(Boolean(answer.ok));
      });
      request.addEventListener("error", function () {
        line.textContent = text(form, "refused") + " " + file.name + " : " + text(form, "failed");
        line.classList.add("error");
        resolve(false);
      });
      request.send(data);
    });
  }

  function setUp(form) {
    var input = form.querySelector("input[type=file]");
    var list = form.querySelector("[data-library-progress]");
    var status = form.querySelector("[data-library-status]");
    if (!input || !list || !status || !window.FormData || !window.XMLHttpRequest) return;
    var busy = false;
    form.addEventListener("submit", function (event) {
      var files = Array.prototype.slice.call(input.files || []);
      if (!files.length) return; // the server says "choose a file"
      event.preventDefault();
      if (busy) return;
      busy = true;
      // Not disabled: a disabled button would lose the keyboard focus.
      var button = form.querySelector("button[type=submit]");
      if (button) button.setAttribute("aria-disabled", "true");
      list.hidden = false;
      list.textContent = "";
      status.textContent = text(form, "sending");
      var rows = files.map(function (file, index) {
        var item = document.createElement("li");
        var label = document.createElement("label");
        var bar = document.createElement("progress");
        var line = document.createElement("span");
        bar.id = "library-progress-" + index;
        bar.max = 100;
        bar.value = 0;
        label.htmlFor = bar.id;
        label.textContent = file.name;
        line.className = "small";
        item.appendChild(label);
        item.appendChild(bar);
        item.appendChild(line);
        list.appendChild(item);
        return { file: file, bar: bar, line: line };
      });
      var accepted = 0;
      rows.reduce(function (previous, row) {
        return previous.then(function () {
          return sendOne(form, row.file, row.bar, row.line).then(function (ok) { if (ok) accepted += 1; });
        });
      }, Promise.resolve()).then(function () {
        status.textContent = text(form, "done").replace("{accepted}", accepted).replace("{total}", rows.length);
        if (button) button.removeAttribute("aria-disabled");
        busy = false;
        input.value = "";
        var reload = form.querySelector("[data-library-reload]");
        if (reload && accepted) reload.hidden = false;
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-library-upload]"), setUp);
  });
})();
