"""Swagger UI with no inline script, so the API's pages keep a strict script-src 'self'."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.openapi.plugins import SwaggerRenderPlugin

INIT_SCRIPT = "/static/web/swagger-init.js"


class SwaggerWithoutInlineScript(SwaggerRenderPlugin):
    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        return f"""<!DOCTYPE html><html lang="en"><head>
<title>{openapi_schema["info"]["title"]}</title>
{self.favicon}
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link href="{self.css_url}" rel="stylesheet">
<script src="{self.js_url}"></script>
<script src="{self.standalone_preset_js_url}"></script>
<script src="{INIT_SCRIPT}" defer></script>
</head><body><div id="swagger-container" data-spec-url="/schema/openapi.json"></div>
</body></html>""".encode()
