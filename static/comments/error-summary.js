// After a refused response, move focus to the summary of what to fix (for
// browsers that do not honour `autofocus` on a non-form element). The form
// works without this file: the summary is server-rendered.
(function () {
  "use strict";
  var summary = document.getElementById("comment-error-summary");
  if (summary && document.activeElement !== summary) {
    summary.focus();
  }
})();
