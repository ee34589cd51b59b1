/* World map: decodes the bundled TopoJSON and projects it (Equal Earth) in plain JS. */
"use strict";

(() => {
  const WIDTH = 960;
  const SKIP = new Set(["010"]); // Antarctica: no events, much space
  const SHADES = ["#dbe7f3", "#a9c8e6", "#6fa3d4", "#3a78b9", "#1d4e89"];

  /** Arcs of a TopoJSON topology as [lon, lat] lists (quantized + delta-encoded). */
  function decodeArcs(topology) {
    const t = topology.transform;
    return topology.arcs.map((arc) => {
      let x = 0, y = 0;
      return arc.map(([dx, dy]) => {
        x += dx; y += dy;
        return t ? [x * t.scale[0] + t.translate[0], y * t.scale[1] + t.translate[1]] : [x, y];
      });
    });
  }

  /** One ring from arc indexes; ~i is arc i reversed; shared end points are not repeated. */
  function ring(indexes, arcs) {
    const points = [];
    indexes.forEach((i, k) => {
      const arc = i < 0 ? arcs[~i].slice().reverse() : arcs[i];
      points.push(...(k ? arc.slice(1) : arc));
    });
    return points;
  }

  function polygons(geometry, arcs) {
    if (geometry.type === "Polygon") return [geometry.arcs.map((r) => ring(r, arcs))];
    if (geometry.type === "MultiPolygon") return geometry.arcs.map((p) => p.map((r) => ring(r, arcs)));
    return [];
  }

  /** Equal Earth projection (Šavrič, Patterson, Jenny 2018), scaled to the SVG. */
  function project(lon, lat) {
    const A1 = 1.340264, A2 = -0.081106, A3 = 0.000893, A4 = 0.003796, M = Math.sqrt(3) / 2;
    const lam = (lon * Math.PI) / 180, phi = (lat * Math.PI) / 180;
    const l = Math.asin(M * Math.sin(phi)), l2 = l * l, l6 = l2 * l2 * l2;
    const x = (lam * Math.cos(l)) / (M * (A1 + 3 * A2 * l2 + l6 * (7 * A3 + 9 * A4 * l2)));
    const y = l * (A1 + A2 * l2 + l6 * (A3 + A4 * l2));
    const k = WIDTH / (2 * 2.7066);
    return [WIDTH / 2 + x * k, 0.5 * 2 * 1.3175 * k - y * k];
  }

  /** An SVG path for rings; a jump across the date line starts a new sub-path. */
  function path(rings) {
    let d = "";
    for (const points of rings) {
      let prev = null;
      points.forEach(([lon, lat]) => {
        const [x, y] = project(lon, lat);
        d += (prev === null || Math.abs(lon - prev) > 180 ? "M" : "L") + x.toFixed(1) + "," + y.toFixed(1);
        prev = lon;
      });
      d += "Z";
    }
    return d;
  }

  function outline() {
    const pts = [];
    for (let lat = -90; lat <= 90; lat += 2) pts.push([-180, lat]);
    for (let lat = 90; lat >= -90; lat -= 2) pts.push([180, lat]);
    return pts.map(([lon, lat], i) => (i ? "L" : "M") + project(lon, lat).map((v) => v.toFixed(1)).join(",")).join("") + "Z";
  }

  function shade(n, max) {
    if (!n) return "#dde2e8";
    const k = Math.min(SHADES.length - 1, Math.floor((Math.log(1 + n) / Math.log(1 + max)) * SHADES.length));
    return SHADES[Math.max(0, k)];
  }

  function draw(svg, topology, data, numeric) {
    const arcs = decodeArcs(topology);
    const top = project(0, 84)[1], bottom = project(0, -58)[1];
    svg.setAttribute("viewBox", `0 ${top.toFixed(0)} ${WIDTH} ${(bottom - top).toFixed(0)}`);
    svg.textContent = "";
    EW.svg("path", { class: "sphere", d: outline() }, svg);
    const byCountry = data.by_country || {};
    const max = Math.max(1, ...Object.values(byCountry));
    const layer = EW.svg("g", { class: "countries" }, svg);
    for (const geometry of topology.objects.countries.geometries) {
      if (SKIP.has(geometry.id)) continue;
      const name = (geometry.properties || {}).name || "";
      const codes = numeric[geometry.id] || numeric["name:" + name] || [];
      const n = codes.reduce((s, c) => s + (byCountry[c] || 0), 0);
      const node = EW.svg("path", { class: "country", d: path(polygons(geometry, arcs).flat()), fill: shade(n, max),
        "data-tip": `${name}${codes.length ? " (" + codes[0] + ")" : ""}: ${n} event(s)`, "data-code": codes[0] || "" }, layer);
      if (codes.length) {
        const code = codes.find((c) => byCountry[c]) || codes[0];
        node.addEventListener("click", () => { window.location = "/events?" + EW.filterQuery({ place_country: code }); });
      }
    }
    const dots = EW.svg("g", { class: "places" }, svg);
    for (const p of [...(data.places || [])].sort((a, b) => b.n - a.n)) {
      const [x, y] = project(p.lon, p.lat);
      const dot = EW.svg("circle", { class: "dot", cx: x.toFixed(1), cy: y.toFixed(1), r: Math.min(18, 2.5 + 2 * Math.sqrt(p.n)).toFixed(1),
        "data-tip": `${p.place}${p.country ? " (" + p.country + ")" : ""}: ${p.n} event(s)` }, dots);
      dot.style.cursor = "pointer";
      dot.addEventListener("click", () => { window.location = "/events?" + EW.filterQuery({ place: p.place }); });
    }
    scale(max);
  }

  function scale(max) {
    const node = document.getElementById("map-scale");
    if (!node) return;
    node.textContent = "events located in the country: ";
    EW.html("i", {}, null, node).style.background = "#dde2e8";
    node.appendChild(document.createTextNode("0"));
    SHADES.forEach((c) => { EW.html("i", {}, null, node).style.background = c; });
    node.appendChild(document.createTextNode(String(max)));
  }

  function start() {
    const svg = document.getElementById("worldmap");
    if (!svg) return;
    const data = EW.data(svg.getAttribute("data-source")) || {};
    const numeric = EW.data("map-numeric") || {};
    fetch(svg.getAttribute("data-topo"))
      .then((r) => r.json())
      .then((topology) => { draw(svg, topology, data, numeric); svg.setAttribute("data-ready", "1"); })
      .catch((err) => { EW.svg("text", { x: 20, y: 30 }, svg).textContent = "map shapes failed to load: " + err; });
  }

  document.addEventListener("DOMContentLoaded", start);
})();
