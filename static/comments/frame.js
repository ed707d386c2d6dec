// Fits the frame of the comment form (templates/comments/_respond.html) to
// the form inside it, and keeps it fitted as the width (and so the form's
// height) changes: no inner scroll bar, no empty space. Without this file the
// frame keeps its height from the stylesheet, which fits the form too.
(function () {
  "use strict";

  function fit(frame) {
    var body = frame.contentDocument && frame.contentDocument.body;
    var height = body ? Math.ceil(body.getBoundingClientRect().height) : 0;
    if (height > 0) {
      frame.style.height = height + "px";
    }
  }

  function watch(frame) {
    var doc = frame.contentDocument;
    if (!doc || doc.URL === "about:blank" || !doc.body) {
      return;
    }
    fit(frame);
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        fit(frame);
      }).observe(doc.body);
    }
  }

  document.querySelectorAll("iframe.comment-frame").forEach(function (frame) {
    // The frame loads lazily, usually after this runs; if it was quicker, fit it now.
    frame.addEventListener("load", function () {
      watch(frame);
    });
    if (frame.contentDocument && frame.contentDocument.readyState === "complete") {
      watch(frame);
    }
  });
})();
