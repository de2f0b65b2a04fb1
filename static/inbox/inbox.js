// The inbox's pages.
document.addEventListener("DOMContentLoaded", () => {
  // After a change (a note, an answer, a status), the page comes back at the part that changed
  // (#notes, #answers, #handling): the keyboard focus goes there too, not to the top of the page.
  const changed = location.hash && document.getElementById(location.hash.slice(1));
  if (changed && changed.getAttribute("tabindex") === "-1") changed.focus();

  // Choosing a saved answer puts its text in the answer at once (without JavaScript, the
  // "Use" button reloads the page with the text filled in).
  for (const select of document.querySelectorAll("[data-inbox-saved-target]")) {
    const target = document.getElementById(select.dataset.inboxSavedTarget);
    const button = select.form.querySelector("[data-inbox-saved-button]");
    if (!target) continue;
    if (button) button.hidden = true;
    select.addEventListener("change", () => {
      const option = select.selectedOptions[0];
      if (!option || !option.value) return;
      target.value = option.dataset.text || "";
      target.focus();
    });
  }
});
