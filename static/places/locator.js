// The locator's two helpers, both optional (the page works without them):
// suggestions under the search field as one types, and "use my position".
(function () {
  "use strict";
  var form = document.querySelector("form.locator-form");
  if (!form) return;

  var input = form.querySelector("input[name=q]");
  var box = document.getElementById("locator-suggestions");
  var endpoint = form.getAttribute("data-suggestions");
  var timer = null;
  var asked = "";

  function filters() {
    var params = [];
    ["kind", "federation"].forEach(function (name) {
      var field = form.querySelector("[name=" + name + "]");
      if (field && field.value) params.push(name + "=" + encodeURIComponent(field.value));
    });
    return params;
  }

  function suggest() {
    var text = input.value.trim();
    if (text.length < 2) { box.innerHTML = ""; asked = ""; return; }
    if (text === asked) return;
    asked = text;
    var url = endpoint + (endpoint.indexOf("?") < 0 ? "?" : "&") + ["q=" + encodeURIComponent(text)].concat(filters()).join("&");
    fetch(url, { headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) { if (asked === text) box.innerHTML = html; })  // our own fragment, escaped by Django
      .catch(function () { /* the form still submits */ });
  }

  if (input && box && endpoint) {
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(suggest, 200);
    });
  }

  var locate = form.querySelector("[data-locate]");
  var status = form.querySelector("[data-locate-status]");
  if (locate && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      status.textContent = locate.getAttribute("data-waiting");
      navigator.geolocation.getCurrentPosition(
        function (position) {
          // Rounded to about 100 m: enough to find the nearest structure, and a page many share.
          var params = [
            "lat=" + position.coords.latitude.toFixed(3),
            "lon=" + position.coords.longitude.toFixed(3),
          ].concat(filters());
          window.location.assign(form.getAttribute("action") + "?" + params.join("&"));
        },
        function () { status.textContent = locate.getAttribute("data-error"); },
        { maximumAge: 600000, timeout: 15000 }
      );
    });
  }
})();
