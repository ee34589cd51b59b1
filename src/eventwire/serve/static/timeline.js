/* Timeline: events by type per time bucket, as stacked SVG bars (hand-written, no library). */
"use strict";

(() => {
  const DAY = 86400000;

  const parse = (s) => new Date(s + "T00:00:00Z");
  const iso = (d) => d.toISOString().slice(0, 10);

  /** The start of the bucket after `d`. */
  function next(d, bucket) {
    const n = new Date(d.getTime());
    if (bucket === "day") n.setUTCDate(n.getUTCDate() + 1);
    else if (bucket === "week") n.setUTCDate(n.getUTCDate() + 7);
    else if (bucket === "month") n.setUTCMonth(n.getUTCMonth() + 1);
    else n.setUTCFullYear(n.getUTCFullYear() + 1);
    return n;
  }

  /** How a bucket is written under the axis and in tooltips. */
  function label(s, bucket) {
    if (bucket === "year") return s.slice(0, 4);
    if (bucket === "month") return s.slice(0, 7);
    return s;
  }

  /** Every bucket from first to last (empty ones too: time is continuous). */
  function periods(first, last, bucket) {
    const out = [];
    for (let d = parse(first); d <= parse(last) && out.length < 5000; d = next(d, bucket)) out.push(iso(d));
    return out;
  }

  /** A round top for the y axis (1, 2, 5 × 10^k), so the highest bar sits under a grid line. */
  function niceMax(v) {
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const k of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (k * p >= v) return k * p;
    return 10 * p;
  }

  function draw(node, stats, state) {
    node.textContent = "";
    const bucket = stats.bucket || "month";
    const rows = stats.by_period_type || [];
    if (!rows.length) {
      EW.html("p", { class: "muted" }, "No dated events to chart.", node);
      return;
    }
    const win = stats.window || {};
    const inWindow = (p) => state.all || !win.from || (p >= win.from.slice(0, 10) && p <= win.to);
    const shown = rows.filter((r) => inWindow(r.period));
    const hidden = rows.length - shown.length;
    const list = shown.length ? shown : rows;
    const names = list.map((r) => r.period).sort();
    const axis = periods(names[0], names[names.length - 1], bucket);
    const types = EW.ORDER.filter((t) => list.some((r) => r.type === t))
      .concat([...new Set(list.map((r) => r.type))].filter((t) => !EW.ORDER.includes(t)));
    const counts = new Map(axis.map((p) => [p, {}]));
    for (const r of list) if (counts.has(r.period)) counts.get(r.period)[r.type] = r.n;
    const visible = types.filter((t) => !state.off.has(t));
    const totals = axis.map((p) => visible.reduce((s, t) => s + (counts.get(p)[t] || 0), 0));
    const max = niceMax(Math.max(1, ...totals));

    const width = Math.max(320, node.clientWidth || 800);
    const height = node.classList.contains("small") ? 180 : 250;
    const m = { top: 10, right: 12, bottom: 26, left: 38 };
    const w = width - m.left - m.right;
    const h = height - m.top - m.bottom;
    const svg = EW.svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": "events by type over time" }, node);
    const g = EW.svg("g", { transform: `translate(${m.left},${m.top})` }, svg);
    const step = max <= 5 ? 1 : max / ([3, 4, 5, 6].find((k) => Number.isInteger(max / k)) || 5);
    const grid = EW.svg("g", { class: "grid axis" }, g);
    for (let v = 0; v <= max + 1e-9; v += step) {
      const y = h - (h * v) / max;
      EW.svg("line", { x1: 0, x2: w, y1: y, y2: y }, grid);
      EW.svg("text", { x: -6, y: y + 4, "text-anchor": "end" }, grid).textContent = Math.round(v * 10) / 10;
    }
    const band = w / axis.length;
    const barW = Math.max(1, band * 0.82);
    axis.forEach((p, i) => {
      let y = h;
      const x = i * band + (band - barW) / 2;
      for (const t of visible) {
        const n = counts.get(p)[t] || 0;
        if (!n) continue;
        const bh = (h * n) / max;
        y -= bh;
        const rect = EW.svg("rect", { x, y, width: barW, height: Math.max(bh, 0.5), fill: EW.color(t), class: "bar",
          "data-tip": `${label(p, bucket)} · ${t}: ${n}`, "data-type": t, "data-period": p }, g);
        if (node.dataset.link) {
          rect.style.cursor = "pointer";
          rect.addEventListener("click", () => {
            const end = new Date(next(parse(p), bucket).getTime() - DAY);
            window.location = "/events?" + EW.filterQuery({ type: t, from: p, to: iso(end) });
          });
        }
      }
    });
    const ticks = Math.min(axis.length, Math.max(2, Math.floor(w / 90)));
    const every = Math.ceil(axis.length / ticks);
    const xaxis = EW.svg("g", { class: "axis", transform: `translate(0,${h})` }, g);
    EW.svg("line", { x1: 0, x2: w, y1: 0, y2: 0, stroke: "#c3ccd5" }, xaxis);
    axis.forEach((p, i) => {
      if (i % every) return;
      EW.svg("text", { x: i * band + band / 2, y: 17, "text-anchor": "middle" }, xaxis).textContent = label(p, bucket);
    });

    const legend = EW.html("div", { class: "chart-legend" }, null, node);
    for (const t of types) {
      const item = EW.html("span", { "data-type": t, class: state.off.has(t) ? "off" : "" }, null, legend);
      EW.html("i", {}, null, item).style.background = EW.color(t);
      item.appendChild(document.createTextNode(t));
      item.addEventListener("click", () => {
        if (state.off.has(t)) state.off.delete(t); else state.off.add(t);
        draw(node, stats, state);
      });
    }
    if (hidden > 0 || state.all) {
      const note = EW.html("span", { class: "muted" }, null, legend);
      const link = EW.html("a", { href: "#" }, state.all ? "show the main window" : "show all", note);
      note.prepend(document.createTextNode(state.all ? "" : `${hidden} bucket(s) outside ${label(win.from.slice(0, 10), bucket)}–${label(win.to, bucket)} hidden · `));
      link.addEventListener("click", (e) => { e.preventDefault(); state.all = !state.all; draw(node, stats, state); });
    }
  }

  function start() {
    document.querySelectorAll('[data-chart="timeline"]').forEach((node) => {
      const stats = EW.data(node.getAttribute("data-source"));
      if (!stats) return;
      const state = { off: new Set(), all: false };
      draw(node, stats, state);
      let pending = null;
      window.addEventListener("resize", () => {
        clearTimeout(pending);
        pending = setTimeout(() => draw(node, stats, state), 150);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", start);
})();
