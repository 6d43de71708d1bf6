// Small enhancements; every page works without this file.
(function () {
  // After an action, move focus to its result (errors first) so screen reader and keyboard
  // users hear it and continue from there, instead of from the top of the page.
  function focusResult(root) {
    var target = root.querySelector("#error-summary") || root.querySelector("#result-message");
    if (target) { target.focus(); }
  }
  document.addEventListener("DOMContentLoaded", function () { focusResult(document); });
  document.addEventListener("htmx:afterSettle", function (event) { focusResult(event.target); });
})();
