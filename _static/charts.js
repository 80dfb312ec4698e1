// Draws the book's interactive figures with Vega-Embed (vega-bundle.js, loaded only on pages with a
// chart). Each figure is a <div class="vega-figure"> holding one or more panels, <div class="vega-chart">,
// each with its Vega-Lite spec in a JSON <script>.
// Panels size themselves to their column (Vega-Lite width "container"); on a narrow screen the
// panels of a figure stack (charts.css). Panels named in data-linked share that selection: clicking
// a legend entry in one panel highlights the same series in the others.
(function () {
  "use strict";

  function draw(panel) {
    var spec = JSON.parse(panel.querySelector("script[type='application/json']").textContent);
    panel.textContent = "";
    return vegaEmbed(panel, spec, {actions: false, renderer: "svg"}).then(function (result) { return result.view; });
  }

  function link(views, store) {
    var busy = false;
    views.forEach(function (source) {
      source.addDataListener(store, function (name, values) {
        if (busy) { return; }
        busy = true;
        Promise.all(views.filter(function (view) { return view !== source; }).map(function (view) {
          return view.data(store, values.slice()).runAsync();
        })).then(function () { busy = false; }, function () { busy = false; });
      });
    });
  }

  function drawFigure(figure) {
    var panels = Array.prototype.slice.call(figure.querySelectorAll(".vega-chart"));
    Promise.all(panels.map(draw)).then(function (views) {
      (figure.getAttribute("data-linked") || "").split(" ").filter(Boolean).forEach(function (name) {
        link(views, name + "_store");
      });
      figure.setAttribute("data-drawn", "true");
    }).catch(function (error) {
      figure.setAttribute("data-error", String(error));
      console.error(error);
    });
  }

  function drawAll() {
    document.querySelectorAll(".vega-figure").forEach(drawFigure);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
