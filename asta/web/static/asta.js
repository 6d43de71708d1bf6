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

  // Copy buttons (hidden without this file): copy the named field, say so in its status.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      var field = document.getElementById(button.dataset.copy);
      var status = document.getElementById(button.dataset.copy + "-copied");
      button.hidden = false;
      button.addEventListener("click", function () {
        function done(message) { if (status) { status.textContent = message; } }
        function fallback() {
          field.select();
          done(document.execCommand("copy") ? button.dataset.copied : button.dataset.copyFailed);
        }
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(field.value).then(
            function () { done(button.dataset.copied); }, fallback);
        } else {
          fallback();
        }
      });
    });
  });
})();
