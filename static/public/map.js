/* Draws the places of a list on a map (Leaflet), when the instance has a tile server.
 * Each <div class="public-map" data-map-for="LIST_ID"> reads the items of #LIST_ID that carry
 * data-lat, data-lon, data-title and data-url. The list stays the accessible version: the
 * map is hidden from screen readers' tab order (its markers link to the same pages). */
(function () {
  "use strict";
  function draw(box) {
    var list = document.getElementById(box.getAttribute("data-map-for"));
    if (!list || !window.L) { box.hidden = true; return; }
    var places = [];
    list.querySelectorAll("[data-lat][data-lon]").forEach(function (item) {
      var lat = parseFloat(item.getAttribute("data-lat"));
      var lon = parseFloat(item.getAttribute("data-lon"));
      if (!isNaN(lat) && !isNaN(lon)) {
        places.push({ lat: lat, lon: lon, title: item.getAttribute("data-title") || "", url: item.getAttribute("data-url") || "" });
      }
    });
    if (!places.length) { box.hidden = true; return; }
    var map = window.L.map(box, { scrollWheelZoom: false });
    window.L.tileLayer(box.getAttribute("data-tiles"), {
      attribution: box.getAttribute("data-attribution") || "",
      maxZoom: 18
    }).addTo(map);
    var bounds = [];
    places.forEach(function (place) {
      var marker = window.L.marker([place.lat, place.lon], { title: place.title, keyboard: false }).addTo(map);
      var popup = document.createElement("a");
      popup.textContent = place.title;
      if (place.url) { popup.href = place.url; }
      marker.bindPopup(popup);
      bounds.push([place.lat, place.lon]);
    });
    if (bounds.length === 1) { map.setView(bounds[0], 13); } else { map.fitBounds(bounds, { padding: [24, 24] }); }
  }
  function start() { document.querySelectorAll(".public-map[data-map-for]").forEach(draw); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
