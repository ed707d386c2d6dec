// The admin's rich-text editor (django-prose-editor) hides the field's
// <textarea> and edits in a box of its own (role="textbox") that carries no
// name: a screen reader announced it as "edit text" only. When an editor is
// ready (the package's "prose-editor:ready" event, whose detail holds the
// editor and its textarea), name that box by the field's <label>, describe it
// by the field's help text as the textarea was, and let a click on the label
// put the cursor in it, as it would for a plain textarea.
//
// Loaded in the page's <head> by ArticleAdminForm.Media, so the listener is in
// place before the editor's (module) scripts run. No inline script: the CSP
// allows scripts from our own origin only.
(function () {
  "use strict";
  document.addEventListener("prose-editor:ready", function (event) {
    var editor = event.detail.editor;
    var textarea = event.detail.textarea;
    var box = editor.view.dom;
    var label = textarea.id && document.querySelector('label[for="' + CSS.escape(textarea.id) + '"]');
    if (label) {
      label.id = label.id || textarea.id + "_label";
      box.setAttribute("aria-labelledby", label.id);
      label.addEventListener("click", function () {
        editor.view.focus();
      });
    }
    var description = textarea.getAttribute("aria-describedby");
    if (description) {
      box.setAttribute("aria-describedby", description);
    }
    box.setAttribute("aria-multiline", "true");
  });
})();
