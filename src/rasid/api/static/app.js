// rasid web UI: draws the offline map (d3-geo + world-atlas shapes) and the charts (uPlot).
// Loaded as a file (CSP script-src 'self'); data comes from data-* attributes, never from
// inline scripts, and every text from the base is set with textContent (never as HTML).
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var palette = ["#0b5c8a", "#c0392b", "#27ae60", "#8e44ad", "#d35400", "#16a085",
    "#2c3e50", "#f39c12", "#7f8c8d", "#e84393"];

  function readJSON(el, name) {
    try { return JSON.parse(el.getAttribute(name) || "null"); } catch (e) { return null; }
  }

  function svgEl(name, attrs) {
    var el = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    return el;
  }

  // ---- map -------------------------------------------------------------------------------
  function drawMap(figure, world) {
    var pins = readJSON(figure, "data-pins") || [];
    var width = 960, height = 480;
    var projection = d3.geoNaturalEarth1();
    var sphere = { type: "Sphere" };
    if (pins.length) {
      var lons = pins.map(function (p) { return p.lon; });
      var lats = pins.map(function (p) { return p.lat; });
      var pad = 6; // degrees around the pins, so one pin still shows its region
      var box = {
        type: "Polygon",
        coordinates: [[
          [Math.min.apply(null, lons) - pad, Math.min.apply(null, lats) - pad],
          [Math.max.apply(null, lons) + pad, Math.min.apply(null, lats) - pad],
          [Math.max.apply(null, lons) + pad, Math.max.apply(null, lats) + pad],
          [Math.min.apply(null, lons) - pad, Math.max.apply(null, lats) + pad],
          [Math.min.apply(null, lons) - pad, Math.min.apply(null, lats) - pad]
        ].reverse()]
      };
      projection.fitExtent([[10, 10], [width - 10, height - 10]], box);
    } else {
      projection.fitExtent([[4, 4], [width - 4, height - 4]], sphere);
    }
    var path = d3.geoPath(projection);
    var svg = svgEl("svg", { viewBox: "0 0 " + width + " " + height, role: "img" });
    var clip = svgEl("clipPath", { id: "clip-" + Math.random().toString(36).slice(2) });
    clip.appendChild(svgEl("rect", { width: width, height: height }));
    svg.appendChild(clip);
    var g = svgEl("g", { "clip-path": "url(#" + clip.id + ")" });
    g.appendChild(svgEl("path", { d: path(sphere), class: "sphere" }));
    var countries = topojson.feature(world, world.objects.countries).features;
    countries.forEach(function (c) {
      var d = path(c);
      if (!d) return;
      var shape = svgEl("path", { d: d, class: "country" });
      var title = svgEl("title");
      title.textContent = (c.properties && c.properties.name) || "";
      shape.appendChild(title);
      g.appendChild(shape);
    });
    pins.forEach(function (p) {
      var xy = projection([p.lon, p.lat]);
      if (!xy) return;
      var dot = svgEl("circle", { cx: xy[0], cy: xy[1], r: 6, class: "pin" });
      var title = svgEl("title");
      title.textContent = [p.name, p.label, p.date].filter(Boolean).join(" · ");
      dot.appendChild(title);
      if (p.article) {
        var link = svgEl("a", { href: "/article/" + encodeURIComponent(p.article) });
        link.appendChild(dot);
        g.appendChild(link);
      } else {
        g.appendChild(dot);
      }
    });
    svg.appendChild(g);
    figure.insertBefore(svg, figure.firstChild);
    figure.setAttribute("data-drawn", String(countries.length));
  }

  function maps() {
    var figures = document.querySelectorAll("figure.map[data-atlas]");
    if (!figures.length || typeof d3 === "undefined" || typeof topojson === "undefined") return;
    fetch(figures[0].getAttribute("data-atlas"))
      .then(function (r) { return r.json(); })
      .then(function (world) {
        Array.prototype.forEach.call(figures, function (f) { drawMap(f, world); });
      })
      .catch(function (e) { console.error("map:", e); });
  }

  // ---- charts ----------------------------------------------------------------------------
  function seconds(day) { return Date.parse(day + "T00:00:00Z") / 1000; }

  function chart(el, days, named, height) {
    if (typeof uPlot === "undefined") return;
    var width = Math.max(el.clientWidth || 600, 240);
    var series = [{}];
    var data = [days.map(seconds)];
    named.forEach(function (s, i) {
      series.push({ label: s.label, stroke: palette[i % palette.length], width: 2,
        points: { show: true, size: 5 } });
      data.push(s.values);
    });
    new uPlot({ width: width, height: height, series: series, legend: { show: named.length > 1 },
      scales: { x: { time: true } }, axes: [{}, { size: 40 }] }, data, el);
    el.setAttribute("data-drawn", String(days.length));
  }

  function charts() {
    Array.prototype.forEach.call(document.querySelectorAll(".sparkline[data-series]"), function (el) {
      var s = readJSON(el, "data-series");
      if (s && s.days && s.days.length) chart(el, s.days, [{ label: "", values: s.counts }], 120);
      else el.setAttribute("data-drawn", "0");
    });
    Array.prototype.forEach.call(document.querySelectorAll(".timeline[data-series]"), function (el) {
      var s = readJSON(el, "data-series");
      if (!s || !s.days || !s.days.length) { el.setAttribute("data-drawn", "0"); return; }
      var named = Object.keys(s.series).map(function (k) { return { label: k, values: s.series[k] }; });
      chart(el, s.days, named, 220);
    });
  }

  function start() { maps(); charts(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
