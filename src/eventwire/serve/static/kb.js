/* KB review page: accept or reject a proposal with the operator's bearer token. */
"use strict";

document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-kb]");
  if (!button) return;
  const row = button.closest("tr");
  const token = (document.getElementById("kb-token") || {}).value || "";
  button.disabled = true;
  const response = await fetch(`/kb/proposals/${row.dataset.id}/${button.dataset.kb}`, {
    method: "POST",
    headers: { Authorization: "Bearer " + token, Accept: "application/json" },
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    button.disabled = false;
    alert(`${response.status}: ${body.message || body.error || response.statusText}`);
    return;
  }
  for (const id of body.ids || []) {
    const done = document.querySelector(`tr[data-id="${id}"]`);
    if (done) done.remove();
  }
});
