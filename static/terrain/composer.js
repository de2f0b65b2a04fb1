// The news composer: no files inside the text, images with a description each,
// @mention suggestions. Without JavaScript the form still works: one image and
// its description, and a plain text field.
(() => {
  "use strict";

  // The editor's words in the page's language (news/_trix_assets.html writes them as JSON data;
  // the toolbar itself is written translated in news/_trix_toolbar.html).
  const lang = document.getElementById("trix-lang");
  if (lang && window.Trix && Trix.config && Trix.config.lang) {
    try {
      Object.assign(Trix.config.lang, JSON.parse(lang.textContent));
    } catch (error) {
      // Keep Trix's own words rather than break the editor.
    }
  }

  // Images go through the image field (each with its description), never
  // inside the text: refuse files dropped or pasted into the editor.
  document.addEventListener("trix-file-accept", (event) => event.preventDefault());

  function setupImages(form) {
    const input = form.querySelector("[data-composer-files]");
    const list = form.querySelector("[data-composer-list]");
    const staticAlt = form.querySelector("[data-composer-alt-static]");
    if (!input || !list || typeof DataTransfer === "undefined") return;
    try {
      // Some old browsers cannot set input.files: keep the plain form there.
      input.files = new DataTransfer().files;
    } catch (error) {
      return;
    }
    const max = parseInt(form.dataset.maxImages || "10", 10);
    const label = form.querySelector("[data-composer-files-label]");
    if (label && form.dataset.labelAdd) label.textContent = form.dataset.labelAdd;
    if (staticAlt) {
      staticAlt.hidden = true;
      staticAlt.querySelectorAll("input").forEach((field) => (field.disabled = true));
    }
    input.multiple = true;
    const items = []; // {file, alt, url}
    let warning = null;

    function sync() {
      const transfer = new DataTransfer();
      items.forEach((item) => transfer.items.add(item.file));
      input.files = transfer.files;
    }

    function render() {
      list.replaceChildren();
      items.forEach((item, index) => {
        const number = index + 1;
        const id = `${input.id}-alt-${number}`;
        const row = document.createElement("li");
        row.className = "composer__image";
        const preview = document.createElement("img");
        preview.src = item.url;
        preview.alt = "";
        const field = document.createElement("div");
        field.className = "field";
        const caption = document.createElement("label");
        caption.htmlFor = id;
        caption.textContent = `${form.dataset.labelAlt || "Description"} ${number} (${item.file.name})`;
        const alt = document.createElement("input");
        alt.type = "text";
        alt.id = id;
        alt.name = `alt_${number}`;
        alt.maxLength = 500;
        alt.required = true;
        alt.value = item.alt;
        alt.addEventListener("input", () => (item.alt = alt.value));
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "button button--secondary button--small";
        remove.textContent = form.dataset.labelRemove || "Remove";
        remove.addEventListener("click", () => {
          URL.revokeObjectURL(item.url);
          items.splice(index, 1);
          sync();
          render();
          input.focus();
        });
        field.append(caption, alt);
        row.append(preview, field, remove);
        list.append(row);
      });
    }

    input.addEventListener("change", () => {
      // The browser replaced the selection: keep the earlier images too.
      let dropped = false;
      Array.from(input.files).forEach((file) => {
        if (items.length < max) items.push({ file, alt: "", url: URL.createObjectURL(file) });
        else dropped = true;
      });
      sync();
      render();
      if (warning) warning.remove();
      warning = null;
      if (dropped) {
        warning = document.createElement("p");
        warning.className = "error";
        warning.setAttribute("role", "alert");
        warning.textContent = form.dataset.labelTooMany || "";
        list.after(warning);
      }
      // Straight to the first description still to write.
      const empty = Array.from(list.querySelectorAll("input[type=text]")).find((field) => !field.value);
      if (empty) empty.focus();
    });
  }

  // @mention suggestions: members of the cooperative whose name starts with what follows "@".
  const MENTION = /(?:^|\s)@([a-z0-9][a-z0-9._-]{0,39})$/i;
  let timer = null;

  function mentionBox(editorElement) {
    const field = editorElement.closest(".composer__field");
    return field ? field.querySelector("[data-mention-box]") : null;
  }

  function currentMention(editor) {
    const [start, end] = editor.getSelectedRange();
    if (start !== end) return null;
    const before = editor.getDocument().toString().slice(0, start);
    const match = MENTION.exec(before);
    return match ? { query: match[1], start: start - match[1].length, end: start } : null;
  }

  function suggest(editorElement) {
    const url = editorElement.dataset.mentionsUrl;
    const box = mentionBox(editorElement);
    if (!url || !box || !editorElement.editor) return;
    const mention = currentMention(editorElement.editor);
    if (!mention) {
      box.hidden = true;
      box.replaceChildren();
      return;
    }
    fetch(`${url}?q=${encodeURIComponent(mention.query)}`, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : { members: [] }))
      .then((data) => {
        box.replaceChildren();
        (data.members || []).forEach((member) => {
          const button = document.createElement("button");
          button.type = "button";
          button.className = "button button--secondary button--small";
          button.textContent = `@${member.handle} · ${member.name}`;
          button.addEventListener("click", () => {
            const editor = editorElement.editor;
            const again = currentMention(editor) || mention;
            editor.setSelectedRange([again.start, again.end]);
            editor.insertString(`${member.handle} `);
            box.hidden = true;
            box.replaceChildren();
            editorElement.focus();
          });
          box.append(button);
        });
        box.hidden = !box.children.length;
      })
      .catch(() => {
        box.hidden = true;
      });
  }

  document.addEventListener("trix-change", (event) => {
    const editorElement = event.target;
    if (!editorElement.dataset || !editorElement.dataset.mentionsUrl) return;
    clearTimeout(timer);
    timer = setTimeout(() => suggest(editorElement), 250);
  });

  // The label names the plain textarea until the editor runs; then it names the editor
  // (the textarea is hidden), so that exactly one field answers to it.
  function labelEditor(editorElement) {
    const label = document.getElementById(editorElement.dataset.labelId || "");
    if (!label || !editorElement.id) return;
    label.htmlFor = editorElement.id;
    editorElement.setAttribute("aria-labelledby", label.id);
  }
  // Trix gives the editor its textbox role as it connects, just before this event: name it
  // there, not at "trix-initialize" (a frame later), so that it is never a nameless field.
  document.addEventListener("trix-before-initialize", (event) => labelEditor(event.target));
  document.addEventListener("trix-initialize", (event) => labelEditor(event.target));

  // Writing from the feed: the @mention suggestions follow the cooperative chosen.
  document.addEventListener("change", (event) => {
    const select = event.target;
    if (!select.matches || !select.matches("select[data-composer-cooperative]")) return;
    const option = select.selectedOptions[0];
    const editorElement = select.form && select.form.querySelector("trix-editor[data-mentions-url]");
    if (option && editorElement && option.dataset.mentionsUrl) editorElement.dataset.mentionsUrl = option.dataset.mentionsUrl;
  });

  function init() {
    if (window.customElements && customElements.get("trix-editor")) {
      document.querySelectorAll("trix-editor[data-label-id]").forEach(labelEditor);
    }

    document.querySelectorAll("form[data-composer]").forEach((form) => {
      if (form.dataset.composerReady) return;
      form.dataset.composerReady = "1";
      setupImages(form);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
  document.addEventListener("htmx:load", init);
})();
