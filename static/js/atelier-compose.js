// The composer works without this file: autosave comes from htmx attributes and
// the buttons post the form. This says "Saving…" while a save is on its way, and
// disables the pressed button once the browser has taken the form (htmx forms are
// left alone by terrain.js), so that an image is not sent twice.
document.addEventListener("htmx:beforeRequest", (event) => {
  const form = event.detail.elt;
  if (!form || form.id !== "composer") return;
  const status = document.getElementById("composer-status");
  if (status && form.dataset.savingLabel) status.textContent = form.dataset.savingLabel;
});

document.addEventListener("submit", (event) => {
  if (event.defaultPrevented || event.target.id !== "composer" || !event.submitter) return;
  const button = event.submitter;
  setTimeout(() => { button.disabled = true; }, 0);
});
