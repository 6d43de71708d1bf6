// Starts Swagger UI on /schema/swagger; a file, not an inline script, to keep the CSP strict.
// The bundled Swagger UI (v4) reads OpenAPI 3.0 only; Asta's document is 3.1, whose parts
// used here render the same, so the version is read as 3.0.3.
window.addEventListener("DOMContentLoaded", function () {
  var container = document.getElementById("swagger-container");
  fetch(container.getAttribute("data-spec-url"), {credentials: "same-origin"})
    .then(function (response) { return response.json(); })
    .then(function (spec) {
      spec.openapi = "3.0.3";
      SwaggerUIBundle({
        spec: spec,
        dom_id: "#swagger-container",
        deepLinking: true,
        presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset]
      });
    });
});
