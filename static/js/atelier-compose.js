// The composer works without this file: autosave comes from htmx attributes and
// the buttons post the form. This says "Saving…" while a save is on its way,
// disables the pressed button once the browser has taken the form (htmx forms are
// left alone by terrain.js), so that an image is not sent twice, and makes a coach's
// mechanical fix in the text at once (without it, the server makes it).
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

// A coach's fix: its place in the text as the server read it (trimmed), checked against the
// text as it is now; when the text moved on, the form posts and the server decides.
document.addEventListener("click", (event) => {
  const button = event.target.closest && event.target.closest("button[data-fix-replacement]");
  const form = document.getElementById("composer");
  const text = form && form.elements.namedItem("body");
  if (!button || !text) return;
  const value = text.value;
  const excerpt = button.dataset.fixExcerpt || "";
  let start = parseInt(button.dataset.fixStart, 10) + (value.length - value.trimStart().length);
  if (!excerpt || value.slice(start, start + excerpt.length) !== excerpt) {
    start = value.indexOf(excerpt);
    if (!excerpt || start < 0 || value.indexOf(excerpt, start + 1) >= 0) return;
  }
  event.preventDefault();
  const replacement = button.dataset.fixReplacement;
  text.value = value.slice(0, start) + replacement + value.slice(start + excerpt.length);
  const item = button.closest("li");
  if (item) item.remove();  // its place in the text is stale: the autosave brings fresh advice
  text.focus();
  text.setSelectionRange(start + replacement.length, start + replacement.length);
  text.dispatchEvent(new Event("change", { bubbles: true }));
});

// An image added or removed in place: the pressed button is gone with the old list, so
// keyboard and screen reader users are taken to what happened.
document.addEventListener("htmx:afterSettle", () => {
  const notice = document.querySelector("#images [data-images-notice]");
  if (notice && !notice.dataset.seen) {
    notice.dataset.seen = "1";
    notice.focus();
  }
});
