/* exokg view: pan, zoom, click for a side panel, find, type filter (kg/view/html.py).
   Everything the page needs is inline: this script makes no request. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("exokg-data").textContent);
  var svg = document.getElementById("view");
  var zoom = document.getElementById("zoom");
  var panel = document.getElementById("panel");
  var body = document.getElementById("panel-body");
  var tip = document.getElementById("tip");
  var size = {w: +svg.getAttribute("data-width"), h: +svg.getAttribute("data-height")};
  var t = {k: 1, x: 0, y: 0};
  var overview = document.body.classList.contains("overview");

  function apply() {
    zoom.setAttribute("transform", "translate(" + t.x + "," + t.y + ") scale(" + t.k + ")");
    svg.classList.toggle("far", 12 * t.k < 8);
  }
  function fit() {
    var box = svg.getBoundingClientRect();
    var k = Math.min(box.width / size.w, box.height / size.h, 1.6);
    t = {k: k, x: (box.width - size.w * k) / 2, y: Math.max(0, (box.height - size.h * k) / 2)};
    apply();
  }
  function zoomAt(factor, px, py) {
    var k = Math.max(0.05, Math.min(8, t.k * factor));
    t.x = px - (px - t.x) * (k / t.k);
    t.y = py - (py - t.y) * (k / t.k);
    t.k = k;
    apply();
  }
  svg.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var box = svg.getBoundingClientRect();
    zoomAt(Math.exp(-ev.deltaY * 0.0015), ev.clientX - box.left, ev.clientY - box.top);
  }, {passive: false});

  var drag = null;
  svg.addEventListener("pointerdown", function (ev) {
    drag = {x: ev.clientX, y: ev.clientY, tx: t.x, ty: t.y, moved: false};
  });
  window.addEventListener("pointermove", function (ev) {
    if (!drag) { return; }
    var dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 4) { drag.moved = true; svg.classList.add("dragging"); }
    if (drag.moved) { t.x = drag.tx + dx; t.y = drag.ty + dy; apply(); }
  });
  window.addEventListener("pointerup", function () {
    svg.classList.remove("dragging");
    setTimeout(function () { drag = null; }, 0);
  });

  function clearSel() {
    var old = document.querySelectorAll(".sel, .near");
    for (var i = 0; i < old.length; i++) { old[i].classList.remove("sel", "near"); }
    svg.classList.remove("has-sel");
  }
  function mark(selector, cls) {
    var el = document.querySelector(selector);
    if (el) { el.classList.add(cls); svg.classList.add("has-sel"); }
  }
  function claimsHtml(ids) {
    if (!ids.length) { return ""; }
    return "<h3>Claims (" + ids.length + ")</h3>" +
      ids.map(function (c) { return data.claims[c] || ""; }).join("");
  }
  function showNode(id) {
    var n = data.nodes[id];
    if (!n) { return; }
    clearSel();
    mark('.node[data-id="' + CSS.escape(id) + '"]', "sel");
    var links = n.edges.map(function (e) {
      var d = data.edges[e];
      mark('.edge[data-id="' + e + '"]', "near");
      mark('.node[data-id="' + CSS.escape(d.u === id ? d.v : d.u) + '"]', "near");
      return '<button class="edge-link" data-edge="' + e + '">' + escapeHtml(d.line) +
        "</button>";
    }).join("");
    var claims = [];
    n.edges.forEach(function (e) {
      data.edges[e].claims.forEach(function (c) {
        if (claims.indexOf(c) < 0) { claims.push(c); }
      });
    });
    var note = n.drawn === false ? '<p class="muted">Not drawn in this overview: ' +
      "'exokg view " + escapeHtml(id) + "' draws its neighbourhood.</p>" : "";
    open(n.card + note + "<h3>Edges drawn (" + n.edges.length + ")</h3>" + links +
         claimsHtml(claims));
  }
  function escapeHtml(text) {
    var d = document.createElement("div");
    d.textContent = text;
    return d.innerHTML;
  }
  function showGroup(kind) {
    var g = data.groups[kind];
    if (!g) { return; }
    clearSel();
    open("<h2>" + escapeHtml(g.title) + " (" + g.members.length + ")</h2>" +
         '<p class="muted">Best connected first; the drawn ones are in bold.</p>' +
         g.members.map(function (m) {
           var n = data.nodes[m], b = n.drawn === false ? "" : " style=\"font-weight:700\"";
           return '<button class="edge-link" data-node="' + escapeHtml(m) + '"' + b + ">" +
             escapeHtml(n.label) + " (" + n.edges.length + " edges drawn)</button>";
         }).join(""));
  }
  function showEdge(id) {
    var e = data.edges[id];
    if (!e) { return; }
    clearSel();
    mark('.edge[data-id="' + id + '"]', "sel");
    mark('.node[data-id="' + CSS.escape(e.u) + '"]', "near");
    mark('.node[data-id="' + CSS.escape(e.v) + '"]', "near");
    open(e.card + claimsHtml(e.claims));
  }
  function open(html) {
    body.innerHTML = html;
    panel.hidden = false;
    panel.scrollTop = 0;
  }
  document.getElementById("close").addEventListener("click", function () {
    panel.hidden = true;
    clearSel();
  });
  body.addEventListener("click", function (ev) {
    var b = ev.target.closest("[data-edge]"), n = ev.target.closest("[data-node]");
    if (b) { showEdge(b.getAttribute("data-edge")); }
    if (n) { showNode(n.getAttribute("data-node")); }
  });
  svg.addEventListener("click", function (ev) {
    if (drag && drag.moved) { return; }
    var node = ev.target.closest(".node"), edge = ev.target.closest(".edge");
    var group = ev.target.closest(".group");
    if (group) { showGroup(group.getAttribute("data-group")); }
    else if (node) { showNode(node.getAttribute("data-id")); }
    else if (edge) { showEdge(edge.getAttribute("data-id")); }
  });
  svg.addEventListener("pointerover", function (ev) {
    var node = ev.target.closest(".node"), edge = ev.target.closest(".edge");
    var text = node ? data.nodes[node.getAttribute("data-id")].tip :
      edge ? data.edges[edge.getAttribute("data-id")].line : "";
    if (!text) { tip.hidden = true; return; }
    tip.textContent = text;
    tip.hidden = false;
  });
  svg.addEventListener("pointermove", function (ev) {
    var box = svg.getBoundingClientRect();
    tip.style.left = Math.min(ev.clientX - box.left + 14, box.width - 370) + "px";
    tip.style.top = (ev.clientY - box.top + 14) + "px";
  });
  svg.addEventListener("pointerleave", function () { tip.hidden = true; });

  var pathsButton = document.getElementById("show-paths");
  if (pathsButton) {
    pathsButton.addEventListener("click", function () {
      clearSel();
      open(document.getElementById("paths-list").innerHTML);
    });
  }
  document.getElementById("fit").addEventListener("click", fit);
  document.getElementById("zoom-in").addEventListener("click", function () {
    var box = svg.getBoundingClientRect(); zoomAt(1.4, box.width / 2, box.height / 2);
  });
  document.getElementById("zoom-out").addEventListener("click", function () {
    var box = svg.getBoundingClientRect(); zoomAt(1 / 1.4, box.width / 2, box.height / 2);
  });
  function focusOn(id) {
    var el = document.querySelector('.node[data-id="' + CSS.escape(id) + '"]');
    if (!el) { showNode(id); return; }
    var box = svg.getBoundingClientRect();
    var x = +el.getAttribute("data-x"), y = +el.getAttribute("data-y");
    t.k = Math.max(t.k, 1.2);
    t.x = box.width / 2 - x * t.k;
    t.y = box.height / 2 - y * t.k;
    apply();
    showNode(id);
  }
  document.getElementById("find").addEventListener("change", function (ev) {
    var want = ev.target.value.toLowerCase();
    for (var id in data.nodes) {
      if (data.nodes[id].label.toLowerCase() === want || id.toLowerCase() === want) {
        focusOn(id);
        return;
      }
    }
  });
  document.getElementById("type-filter").addEventListener("change", function (ev) {
    var want = ev.target.value, hidden = {};
    var nodes = document.querySelectorAll(".node");
    for (var i = 0; i < nodes.length; i++) {
      var off = !!want && nodes[i].getAttribute("data-type") !== want;
      nodes[i].classList.toggle("hidden", off);
      if (off) { hidden[nodes[i].getAttribute("data-id")] = true; }
    }
    var edges = document.querySelectorAll(".edge");
    for (var j = 0; j < edges.length; j++) {
      var d = data.edges[edges[j].getAttribute("data-id")];
      edges[j].classList.toggle("hidden", !!(hidden[d.u] || hidden[d.v]));
    }
  });
  window.addEventListener("resize", fit);
  fit();
  window.exokg = {data: data, fit: fit, focus: focusOn, showNode: showNode, showEdge: showEdge,
                  showGroup: showGroup,
                  scale: function () { return t.k; }, overview: overview};
  document.body.setAttribute("data-stabilized", "true");
}());
