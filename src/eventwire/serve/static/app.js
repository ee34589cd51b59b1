/* eventwire UI helpers: plain JS, no library, no network beyond this server. */
"use strict";

const EW = (() => {
  const SVG = "http://www.w3.org/2000/svg";
  const ORDER = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"];

  /** The colour of an event type, from the CSS custom properties (one source of truth). */
  function color(type) {
    const value = getComputedStyle(document.documentElement).getPropertyValue("--t-" + type).trim();
    return value || "#64748b";
  }

  /** An SVG element with attributes, appended to parent when given. */
  function svg(tag, attrs, parent) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (parent) parent.appendChild(node);
    return node;
  }

  /** An HTML element with attributes and text. */
  function html(tag, attrs, text, parent) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined && text !== null) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }

  /** JSON embedded in the page by the server (<script type="application/json" id=...>). */
  function data(id) {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  const tipNode = () => document.getElementById("tip");
  function tip(event, text) {
    const node = tipNode();
    if (!node) return;
    if (!text) { node.style.display = "none"; return; }
    node.textContent = text;
    node.style.display = "block";
    const x = Math.min(event.clientX + 14, window.innerWidth - node.offsetWidth - 8);
    node.style.left = x + "px";
    node.style.top = (event.clientY + 14) + "px";
  }

  /** Show a tooltip on hover for every node with data-tip. */
  function bindTips(root) {
    root.addEventListener("mousemove", (e) => {
      const hit = e.target.closest ? e.target.closest("[data-tip]") : null;
      tip(e, hit ? hit.getAttribute("data-tip") : null);
    });
    root.addEventListener("mouseleave", (e) => tip(e, null));
  }

  /** Current filters of the page, to carry into links (minus paging and format). */
  function filterQuery(extra) {
    const params = new URLSearchParams(window.location.search);
    for (const k of ["offset", "limit", "format", "bucket", "edges"]) params.delete(k);
    for (const [k, v] of Object.entries(extra || {})) params.set(k, v);
    return params.toString();
  }

  /** Horizontal bars of events by type (a count per type, in codebook order). */
  function bars(node, byType) {
    const types = ORDER.filter((t) => byType[t]).concat(Object.keys(byType).filter((t) => !ORDER.includes(t)));
    const max = Math.max(1, ...types.map((t) => byType[t]));
    node.textContent = "";
    for (const t of types) {
      const row = html("div", { class: "row" }, null, node);
      const label = html("a", { href: "/events?" + filterQuery({ type: t }) }, t, row);
      label.className = "small";
      const track = html("div", { class: "track" }, null, row);
      const fill = html("div", { class: "fill" }, null, track);
      fill.style.width = (100 * byType[t] / max).toFixed(1) + "%";
      fill.style.background = color(t);
      html("span", { class: "num small" }, byType[t].toLocaleString(), row);
    }
    if (!types.length) html("p", { class: "muted" }, "No events.", node);
  }

  /** Article page: hovering a record lights its spans in the text, and the other way round. */
  function linkHighlights(root) {
    const light = (ids, on) => {
      for (const id of ids) {
        root.querySelectorAll('[data-ev~="' + CSS.escape(id) + '"]').forEach((n) => n.classList.toggle("lit", on));
      }
    };
    root.addEventListener("mouseover", (e) => {
      const hit = e.target.closest("[data-ev]");
      if (hit) light(hit.getAttribute("data-ev").split(" "), true);
    });
    root.addEventListener("mouseout", (e) => {
      const hit = e.target.closest("[data-ev]");
      if (hit) light(hit.getAttribute("data-ev").split(" "), false);
    });
  }

  /** Forms send no empty fields: the URL keeps only the filters really set. */
  function cleanForms() {
    document.querySelectorAll("form.filters").forEach((form) => {
      form.addEventListener("submit", () => {
        form.querySelectorAll("input, select").forEach((field) => {
          if (field.name && !field.value) field.disabled = true;
        });
      });
    });
  }

  function start() {
    cleanForms();
    document.querySelectorAll("[data-bars]").forEach((node) => {
      const stats = data(node.getAttribute("data-bars"));
      if (stats) bars(node, stats.by_type || {});
    });
    document.querySelectorAll(".article-body").forEach(linkHighlights);
    bindTips(document.body);
  }

  document.addEventListener("DOMContentLoaded", start);
  return { ORDER, color, svg, html, data, tip, filterQuery, linkHighlights };
})();
