/* Paste-and-code page: sends the text as JSON, shows the server-rendered highlights. */
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);

  function payload() {
    const body = { text: $("code-text").value };
    if ($("code-date").value) body.date = $("code-date").value;
    if ($("code-title").value) body.title = $("code-title").value;
    if ($("code-text").dataset.html) body.html = true;
    return body;
  }

  // An invented dispatch, written for this page, to show what coding looks like.
  const EXAMPLE = [
    "NAIROBI — Kenyan President William Ruto met Ethiopian Prime Minister Abiy Ahmed in Nairobi on Tuesday",
    "to discuss security along their shared border, the Kenyan presidency said.",
    "",
    "Ruto urged armed groups in the region to lay down their weapons, while Abiy accused unnamed",
    "foreign powers of arming rebels in the north. The two leaders signed an agreement on trade.",
    "",
    "On Monday, police in Addis Ababa arrested dozens of protesters who had gathered outside the",
    "parliament to demand lower fuel prices.",
  ].join("\n");

  function status(text) { $("code-status").textContent = text; }

  function showError(message) {
    const box = EW.html("div", { class: "error-box" }, message);
    $("code-result").replaceChildren(box);
  }

  async function errorText(response) {
    try {
      const body = await response.json();
      return `${response.status}: ${body.message || body.error || response.statusText}`;
    } catch (_) {
      return `${response.status}: ${response.statusText}`;
    }
  }

  async function codeIt(event) {
    if (event) event.preventDefault();
    const button = $("code-submit");
    button.disabled = true;
    status("coding…");
    const started = performance.now();
    try {
      const response = await fetch("/code?format=html", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "text/html" },
        body: JSON.stringify(payload()),
      });
      if (!response.ok) { showError(await errorText(response)); status(""); return; }
      const panel = EW.html("div", { class: "panel" });
      panel.innerHTML = await response.text();
      $("code-result").replaceChildren(panel);
      panel.querySelectorAll(".article-body").forEach(EW.linkHighlights);
      const n = panel.querySelector(".article-body").getAttribute("data-events");
      status(`${n} event(s) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } catch (err) {
      showError("request failed: " + err);
      status("");
    } finally {
      button.disabled = false;
    }
  }

  async function storeIt() {
    status("storing…");
    const response = await fetch("/api/articles", {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: "Bearer " + $("code-token").value },
      body: JSON.stringify(payload()),
    });
    if (!response.ok) { showError(await errorText(response)); status(""); return; }
    const body = await response.json();
    const item = body.articles[0];
    status(item.stored ? `stored with ${item.events} event(s)` : "already stored");
    await codeIt();
  }

  function readFile() {
    const file = $("code-file").files[0];
    if (!file) return;
    const reader = new FileReader();
    reader.onload = () => {
      $("code-text").value = String(reader.result);
      if (/\.html?$/i.test(file.name)) $("code-text").dataset.html = "1"; else delete $("code-text").dataset.html;
      if (!$("code-title").value) $("code-title").value = file.name.replace(/\.[^.]+$/, "");
      status(`${file.name}: ${String(reader.result).length.toLocaleString()} characters`);
    };
    reader.readAsText(file);
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("code-form").addEventListener("submit", codeIt);
    $("code-file").addEventListener("change", readFile);
    $("code-text").addEventListener("input", () => { delete $("code-text").dataset.html; });
    if ($("code-store")) $("code-store").addEventListener("click", storeIt);
    $("code-example").addEventListener("click", () => {
      $("code-text").value = EXAMPLE;
      $("code-date").value = "2025-03-04";
      $("code-title").value = "Ruto and Abiy meet in Nairobi";
      codeIt();
    });
  });
})();
