// The composer without this file works: autosave comes from htmx attributes,
// the buttons post the form. This only says "Saving…" while a save is on its way.
document.addEventListener("htmx:beforeRequest", (event) => {
  const form = event.detail.elt;
  if (!form || form.id !== "composer") return;
  const status = document.getElementById("composer-status");
  if (status && form.dataset.savingLabel) status.textContent = form.dataset.savingLabel;
});
