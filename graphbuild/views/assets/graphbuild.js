/* graphbuild views: tables that sort, filter and download as CSV; graph pages; a label-overlap self-check
   on data maps (its result is written to body[data-overlaps] for the browser test). Text is set with
   textContent / innerText only. */
(function () {
  "use strict";

  function cellText(td) { return td.dataset.csv !== undefined ? td.dataset.csv : td.innerText; }

  function setupTable(table) {
    var section = table.closest("section");
    var tbody = table.tBodies[0];
    var rows = Array.prototype.slice.call(tbody.rows);
    var count = section && section.querySelector(".count");
    var filter = section && section.querySelector("input.filter");
    var csv = section && section.querySelector("button.csv");
    Array.prototype.forEach.call(table.tHead ? table.tHead.rows[0].cells : [], function (th, i) {
      th.addEventListener("click", function () {
        var asc = !th.classList.contains("asc");
        Array.prototype.forEach.call(th.parentNode.cells, function (c) { c.classList.remove("asc", "desc"); });
        th.classList.add(asc ? "asc" : "desc");
        rows.sort(function (a, b) {
          var x = cellText(a.cells[i]).toLowerCase(), y = cellText(b.cells[i]).toLowerCase();
          return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
        });
        rows.forEach(function (r) { tbody.appendChild(r); });
      });
    });
    if (filter) {
      filter.addEventListener("input", function () {
        var q = filter.value.trim().toLowerCase(), shown = 0;
        rows.forEach(function (r) {
          var hit = q === "" || r.innerText.toLowerCase().indexOf(q) >= 0;
          r.hidden = !hit; shown += hit ? 1 : 0;
        });
        if (count) { count.textContent = shown + " of " + rows.length + " rows"; }
      });
    }
    if (csv) {
      csv.addEventListener("click", function () {
        var head = Array.prototype.map.call(table.tHead.rows[0].cells, function (c) { return c.innerText; });
        var lines = [head].concat(rows.filter(function (r) { return !r.hidden; }).map(function (r) {
          return Array.prototype.map.call(r.cells, cellText);
        }));
        var text = lines.map(function (cells) {
          return cells.map(function (v) { return '"' + String(v).replace(/"/g, '""') + '"'; }).join(",");
        }).join("\r\n");
        var a = document.createElement("a");
        a.href = URL.createObjectURL(new Blob([text], {type: "text/csv"}));
        a.download = csv.dataset.name || "table.csv";
        document.body.appendChild(a); a.click(); a.remove();
      });
    }
  }

  function overlaps(svg) {
    var boxes = Array.prototype.map.call(svg.querySelectorAll("text.label"), function (t) { return t.getBBox(); });
    var n = 0;
    for (var i = 0; i < boxes.length; i++) {
      for (var j = i + 1; j < boxes.length; j++) {
        var a = boxes[i], b = boxes[j];
        if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height) { n++; }
      }
    }
    return n;
  }

  function setupGraph() {
    var data = JSON.parse(document.getElementById("graph-data").textContent);
    var nodes = new vis.DataSet(data.nodes), edges = new vis.DataSet(data.edges);
    var base = {};
    data.nodes.forEach(function (n) { base[n.id] = n.color; });
    var network = new vis.Network(document.getElementById("graph"), {nodes: nodes, edges: edges}, {
      layout: {hierarchical: {direction: "LR", sortMethod: "directed", levelSeparation: 300, nodeSpacing: 42}},
      physics: false,
      interaction: {hover: true, tooltipDelay: 120},
      edges: {arrows: {to: {enabled: true, scaleFactor: 0.5}}, color: {color: "#9aa5b1", highlight: "#333"},
              font: {size: 9, align: "middle"}, smooth: {type: "cubicBezier", forceDirection: "horizontal"}},
      nodes: {size: 7, font: {size: 12, strokeWidth: 3, strokeColor: "#ffffff"}}
    });
    var kinds = new Set();
    function paint(keep) {
      var q = document.getElementById("search").value.trim().toLowerCase();
      nodes.update(data.nodes.map(function (n) {
        var shown = kinds.has(n.kind);
        var hit = q !== "" && String(n.label).toLowerCase().indexOf(q) >= 0;
        var dim = (keep && !keep.has(n.id)) || (q !== "" && !hit);
        return {id: n.id, hidden: !shown, color: dim ? "#dddddd" : base[n.id], borderWidth: hit ? 4 : 1};
      }));
    }
    document.querySelectorAll("input.kind").forEach(function (box) {
      if (box.checked) { kinds.add(box.value); }
      box.addEventListener("change", function () {
        if (box.checked) { kinds.add(box.value); } else { kinds.delete(box.value); }
        paint(null);
      });
    });
    document.getElementById("search").addEventListener("input", function () { paint(null); });
    network.on("click", function (params) {
      if (!params.nodes.length) { paint(null); network.fit(); return; }
      var id = params.nodes[0], keep = new Set([id].concat(network.getConnectedNodes(id)));
      paint(keep);
      network.fit({nodes: Array.from(keep), animation: false});
    });
    document.body.dataset.drawn = "yes";
  }

  document.querySelectorAll("table.gb-table").forEach(setupTable);
  var map = document.querySelector("svg.datamap");
  if (map) { document.body.dataset.overlaps = String(overlaps(map)); }
  if (document.getElementById("graph-data")) { setupGraph(); }
})();
