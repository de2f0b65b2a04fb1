// The inbox's thread page: choosing a saved answer puts its text in the answer at once
// (without JavaScript, the "Use" button reloads the page with the text filled in).
document.addEventListener("DOMContentLoaded", () => {
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
