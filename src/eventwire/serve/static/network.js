/* Actor network: a small force layout in plain JS (repulsion, springs, gravity), drawn in SVG. */
"use strict";

(() => {
  const PALETTE = ["#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#0891b2", "#db2777",
    "#4d7c0f", "#9333ea", "#ea580c", "#0f766e", "#be123c"];

  /** A stable colour per country code, so the same country looks the same everywhere. */
  function codeColor(code) {
    if (!code) return "#94a3b8";
    let h = 0;
    for (const c of code) h = (h * 31 + c.charCodeAt(0)) >>> 0;
    return PALETTE[h % PALETTE.length];
  }

  /** Positions after a fixed number of ticks: deterministic, so every load looks the same. */
  function layout(nodes, edges, ticks) {
    const n = nodes.length;
    nodes.forEach((d, i) => {
      const a = (2 * Math.PI * i) / n;
      const r = 40 + 6 * Math.sqrt(n) * (1 + (i % 3) * 0.15);
      d.x = r * Math.cos(a); d.y = r * Math.sin(a); d.vx = 0; d.vy = 0;
    });
    const index = new Map(nodes.map((d, i) => [d.id, i]));
    const links = edges.map((e) => ({ s: index.get(e.source), t: index.get(e.target), w: e.weight }))
      .filter((l) => l.s !== undefined && l.t !== undefined);
    const length = 70;
    for (let k = 0; k < ticks; k++) {
      const alpha = 1 - k / ticks;
      for (let i = 0; i < n; i++) {
        const a = nodes[i];
        for (let j = i + 1; j < n; j++) {
          const b = nodes[j];
          let dx = b.x - a.x, dy = b.y - a.y;
          let d2 = dx * dx + dy * dy;
          if (d2 < 1) { dx = (i - j) * 0.1 + 0.5; dy = 0.5; d2 = dx * dx + dy * dy; }
          const f = (1500 * alpha) / d2;
          const d = Math.sqrt(d2);
          a.vx -= (f * dx) / d; a.vy -= (f * dy) / d;
          b.vx += (f * dx) / d; b.vy += (f * dy) / d;
        }
      }
      for (const l of links) {
        const a = nodes[l.s], b = nodes[l.t];
        const dx = b.x - a.x, dy = b.y - a.y;
        const d = Math.sqrt(dx * dx + dy * dy) || 1;
        const f = 0.04 * alpha * (d - length) * Math.min(3, 1 + Math.log2(l.w));
        a.vx += (f * dx) / d; a.vy += (f * dy) / d;
        b.vx -= (f * dx) / d; b.vy -= (f * dy) / d;
      }
      for (const d of nodes) {
        d.vx -= d.x * 0.012 * alpha; d.vy -= d.y * 0.012 * alpha;
        d.x += Math.max(-20, Math.min(20, d.vx)); d.y += Math.max(-20, Math.min(20, d.vy));
        d.vx *= 0.6; d.vy *= 0.6;
      }
    }
    return links;
  }

  function radius(d) { return Math.min(22, 4 + 2.2 * Math.sqrt(d.n)); }

  /** A curved path from a to b ending at b's rim (so the arrow head shows). */
  function edgePath(a, b) {
    const dx = b.x - a.x, dy = b.y - a.y;
    const d = Math.sqrt(dx * dx + dy * dy) || 1;
    const rb = radius(b) + 3;
    const ex = b.x - (dx / d) * rb, ey = b.y - (dy / d) * rb;
    const mx = (a.x + ex) / 2 - (dy / d) * d * 0.12, my = (a.y + ey) / 2 + (dx / d) * d * 0.12;
    return `M${a.x.toFixed(1)},${a.y.toFixed(1)} Q${mx.toFixed(1)},${my.toFixed(1)} ${ex.toFixed(1)},${ey.toFixed(1)}`;
  }

  function draw(svg, graph) {
    const nodes = graph.nodes.map((d) => ({ ...d }));
    const links = layout(nodes, graph.edges, 320);
    svg.textContent = "";
    fit(svg, nodes);
    const defs = EW.svg("defs", {}, svg);
    const marker = EW.svg("marker", { id: "arrow", viewBox: "0 -5 10 10", refX: 8, refY: 0,
      markerWidth: 6, markerHeight: 6, orient: "auto" }, defs);
    EW.svg("path", { d: "M0,-4L10,0L0,4", fill: "#94a3b8" }, marker);
    const edgeLayer = EW.svg("g", { class: "edges" }, svg);
    const nodeLayer = EW.svg("g", { class: "nodes" }, svg);
    const paths = links.map((l) => {
      const a = nodes[l.s], b = nodes[l.t];
      return EW.svg("path", { class: "edge", d: edgePath(a, b), "stroke-width": (1 + 1.6 * Math.log2(1 + l.w)).toFixed(2),
        "marker-end": "url(#arrow)", "data-tip": `${a.id} → ${b.id}: ${l.w} event(s)` }, edgeLayer);
    });
    const labelAll = nodes.length <= 45;
    const big = [...nodes].sort((a, b) => b.n - a.n)[Math.min(nodes.length - 1, 30)].n;
    const groups = nodes.map((d) => {
      const g = EW.svg("g", { class: "node", transform: `translate(${d.x},${d.y})`,
        "data-tip": `${d.id}${d.code ? " (" + d.code + ")" : ""}: ${d.n} event(s)` }, nodeLayer);
      EW.svg("circle", { r: radius(d), fill: codeColor(d.code) }, g);
      if (labelAll || d.n >= big) {
        EW.svg("text", { x: radius(d) + 3, y: 4 }, g).textContent = d.id.length > 26 ? d.id.slice(0, 25) + "…" : d.id;
      }
      return g;
    });
    interact(svg, nodes, links, paths, groups);
  }

  /** Spread the layout over the drawing area at 1:1 scale: node and label sizes stay readable. */
  function fit(svg, nodes) {
    const box = svg.getBoundingClientRect();
    const width = box.width || 800, height = box.height || 500;
    const pad = { left: 30, right: 150, top: 30, bottom: 30 };
    const xs = nodes.map((d) => d.x), ys = nodes.map((d) => d.y);
    const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
    const room = [width - pad.left - pad.right, height - pad.top - pad.bottom];
    const k = Math.min(room[0] / Math.max(1, x1 - x0), room[1] / Math.max(1, y1 - y0), 3);
    const ox = pad.left + (room[0] - k * (x1 - x0)) / 2, oy = pad.top + (room[1] - k * (y1 - y0)) / 2;
    for (const d of nodes) { d.x = ox + (d.x - x0) * k; d.y = oy + (d.y - y0) * k; }
    svg.setAttribute("viewBox", `0 0 ${width.toFixed(0)} ${height.toFixed(0)}`);
  }

  function interact(svg, nodes, links, paths, groups) {
    const neighbours = nodes.map(() => new Set());
    links.forEach((l) => { neighbours[l.s].add(l.t); neighbours[l.t].add(l.s); });
    const focus = (i) => {
      groups.forEach((g, j) => g.classList.toggle("dim", i !== null && j !== i && !neighbours[i].has(j)));
      paths.forEach((p, k) => p.classList.toggle("dim", i !== null && links[k].s !== i && links[k].t !== i));
    };
    let drag = null;
    const point = (e) => {
      const pt = svg.createSVGPoint();
      pt.x = e.clientX; pt.y = e.clientY;
      return pt.matrixTransform(svg.getScreenCTM().inverse());
    };
    groups.forEach((g, i) => {
      g.addEventListener("mouseenter", () => { if (!drag) focus(i); });
      g.addEventListener("mouseleave", () => { if (!drag) focus(null); });
      g.addEventListener("pointerdown", (e) => {
        drag = { i, moved: false, start: point(e) };
        g.setPointerCapture(e.pointerId);
      });
      g.addEventListener("pointermove", (e) => {
        if (!drag || drag.i !== i) return;
        const p = point(e);
        if (Math.abs(p.x - drag.start.x) + Math.abs(p.y - drag.start.y) > 3) drag.moved = true;
        nodes[i].x = p.x; nodes[i].y = p.y;
        g.setAttribute("transform", `translate(${p.x},${p.y})`);
        links.forEach((l, k) => {
          if (l.s === i || l.t === i) paths[k].setAttribute("d", edgePath(nodes[l.s], nodes[l.t]));
        });
      });
      g.addEventListener("pointerup", () => {
        const clicked = drag && !drag.moved;
        drag = null;
        if (clicked) window.location = "/actors/" + encodeURIComponent(nodes[i].id);
      });
    });
  }

  function start() {
    const svg = document.getElementById("network");
    if (!svg) return;
    const graph = EW.data(svg.getAttribute("data-source"));
    if (graph && graph.nodes && graph.nodes.length) draw(svg, graph);
  }

  document.addEventListener("DOMContentLoaded", start);
})();
