// Conditional questions of a consultation: a question shown "only if" an option was chosen
// earlier is hidden until it is. Without JavaScript every question shows with its note
// ("Answer only if ..."), and the server drops the answers whose condition does not hold.
(() => {
  "use strict";

  const form = document.querySelector(".consultation-form");
  if (!form) return;
  const blocks = Array.from(form.querySelectorAll("[data-condition-field]"));
  if (!blocks.length) return;

  const chosen = (name, value) =>
    Array.from(form.querySelectorAll("input")).some(
      (input) => input.name === name && input.value === value && input.checked && !input.disabled,
    );

  const update = () => {
    // In document order: a question depending on a hidden one is hidden too.
    for (const block of blocks) {
      const show = chosen(block.dataset.conditionField, block.dataset.conditionValue);
      block.hidden = !show;
      for (const input of block.querySelectorAll("input, textarea")) input.disabled = !show;
    }
  };

  for (const note of form.querySelectorAll(".consultation-condition")) note.hidden = true;
  form.addEventListener("change", update);
  update();
})();
