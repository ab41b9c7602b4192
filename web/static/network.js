// Draws the data-sharing network of /network with cytoscape.js (vendored, no network access).
// The table below the graph lists the same relations for keyboard and screen-reader users.
(function () {
  "use strict";
  var box = document.getElementById("graph");
  if (!box || typeof cytoscape === "undefined") { return; }
  fetch(box.getAttribute("data-src"), { credentials: "same-origin", headers: { "accept": "application/json" } })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      if (!data.nodes || !data.nodes.length) { box.textContent = "No relations to draw."; return; }
      var cy = cytoscape({
        container: box,
        maxZoom: 1.6,  // a small graph is not blown up to fill the box (labels stay readable)
        elements: { nodes: data.nodes, edges: data.edges },
        // sources above, recipients below them: the direction of the flow reads top to bottom
        layout: data.nodes.length > 300 ? { name: "grid", animate: false }
                                        : { name: "breadthfirst", directed: true, spacingFactor: 1.1, animate: false },
        style: [
          { selector: "node", style: { "label": "data(label)", "font-size": 9, "width": "mapData(degree, 1, 50, 8, 40)",
                                       "height": "mapData(degree, 1, 50, 8, 40)", "background-color": "#0b5cad", "color": "#1d232a" } },
          { selector: "edge", style: { "width": 1, "line-color": "#8aa4bf", "target-arrow-color": "#8aa4bf",
                                       "target-arrow-shape": "triangle", "curve-style": "bezier" } },
          { selector: "edge[polarity = 'restrict']", style: { "line-color": "#a4262c", "line-style": "dashed" } }
        ]
      });
      cy.on("tap", "node", function (evt) {
        window.location.href = "/agencies/" + encodeURIComponent(evt.target.id());
      });
      box.setAttribute("data-drawn", String(data.nodes.length));
    })
    .catch(function () { box.textContent = "The graph could not be drawn; the table below lists the relations."; });
})();
