// Small progressive enhancements. Everything works without them.
document.addEventListener("DOMContentLoaded", () => {
  // Confirm destructive actions: <form data-confirm="...">
  document.body.addEventListener("submit", (event) => {
    const message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });
});

// A form sent once shows it: its main button is disabled right after the
// browser has taken the form's data (the server ignores a second sending anyway).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (event.defaultPrevented || form.method.toLowerCase() !== "post" || form.hasAttribute("hx-post")) return;
  const button = event.submitter;
  if (button) setTimeout(() => { button.disabled = true; }, 0);
});
