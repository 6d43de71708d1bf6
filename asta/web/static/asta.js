// Small enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // Move focus to the list of form errors so screen reader users hear it first.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
});
