// Small progressive enhancements. Everything works without them.
document.addEventListener("DOMContentLoaded", () => {
  // Confirm destructive actions: <form data-confirm="...">
  document.body.addEventListener("submit", (event) => {
    const message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });
});

// Tabs that scroll sideways (a phone): the current one is shown, not left off-screen.
document.addEventListener("DOMContentLoaded", () => {
  for (const current of document.querySelectorAll(".tabs [aria-current='page']")) {
    const tabs = current.parentElement;
    if (tabs.scrollWidth > tabs.clientWidth) {
      tabs.scrollLeft = current.offsetLeft - tabs.offsetLeft - (tabs.clientWidth - current.offsetWidth) / 2;
    }
  }
});

// A form sent once shows it: its main button is disabled right after the
// browser has taken the form's data (the server ignores a second sending anyway).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (event.defaultPrevented || form.method.toLowerCase() !== "post" || form.hasAttribute("hx-post")) return;
  const button = event.submitter;
  if (button) setTimeout(() => { button.disabled = true; }, 0);
});

// In-place updates (htmx) keep the keyboard where it was and say what they did.
// The control that sent the request is often replaced by its new version: focus
// goes to that replacement (same name and value, or same place) in the element
// swapped in, instead of falling back to the top of the page. What the server
// put in a [data-announce] element is read out by the live region of base.html.
(() => {
  const focusBefore = new WeakMap(); // request -> where the focus was when it left

  function describe(element) {
    const anchor = element.id ? element : element.parentElement && element.parentElement.closest("[id]");
    if (!anchor) return null;
    if (anchor === element) return { element, anchorId: element.id, selector: null, index: 0 };
    let selector = element.tagName.toLowerCase();
    if (element.name) selector += `[name="${CSS.escape(element.name)}"]`;
    if (element.value && element.tagName === "BUTTON") selector += `[value="${CSS.escape(element.value)}"]`;
    const index = Array.from(anchor.querySelectorAll(selector)).indexOf(element);
    return { element, anchorId: anchor.id, selector, index: Math.max(index, 0) };
  }

  // Before htmx disables the form's button (hx-disabled-elt), which would drop the focus.
  document.addEventListener("htmx:beforeRequest", (event) => {
    const active = document.activeElement;
    const sender = event.detail.elt;
    // Only the focus on what sent the request (a poll of the feed leaves the focus alone).
    if (!event.detail.xhr || !active || !sender || !sender.contains(active)) return;
    const was = describe(active);
    if (was) focusBefore.set(event.detail.xhr, was);
  });

  function restoreFocus(was) {
    if (!was) return;
    if (was.element.isConnected) {
      if (document.activeElement === document.body || !document.activeElement) was.element.focus();
      return;
    }
    const anchor = document.getElementById(was.anchorId);
    if (!anchor) return;
    let target = was.selector ? anchor.querySelectorAll(was.selector)[was.index] : anchor;
    if (!target || target.disabled) target = anchor.querySelector("button:not([disabled]), a[href], input:not([type=hidden]), textarea, select");
    if (!target) {
      target = anchor;
      if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    }
    target.focus({ preventScroll: true });
  }

  function announce() {
    const region = document.getElementById("live-status");
    const notes = Array.from(document.querySelectorAll("[data-announce]"));
    if (!notes.length) return;
    const text = notes.map((note) => note.textContent.trim()).filter(Boolean).join(" ");
    notes.forEach((note) => note.remove());
    if (!region || !text) return;
    // Emptied first: the same words twice in a row are read twice.
    region.textContent = "";
    setTimeout(() => { region.textContent = text; }, 50);
  }

  document.addEventListener("htmx:afterSwap", (event) => {
    const was = event.detail.xhr && focusBefore.get(event.detail.xhr);
    if (event.detail.xhr) focusBefore.delete(event.detail.xhr);
    // Once every swap of this answer (out-of-band ones included) is in place.
    setTimeout(() => { restoreFocus(was); announce(); }, 0);
  });
})();
