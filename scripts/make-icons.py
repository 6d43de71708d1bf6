"""Render the app icons (PNG) from the favicon's drawing with Chromium; run once, commit.

    .venv/bin/python scripts/make-icons.py

The maskable icon fills its square and keeps the letter inside the central safe zone (a
circle of 80 % of the width), as launchers crop it to their own shape.
"""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parents[1] / "asta" / "web" / "static" / "icons"
LETTER = '<path d="M9 24l7-16 7 16h-3.2l-1.4-3.6h-4.8L12.2 24zm5.5-6.3h3l-1.5-4z" fill="#fff"/>'
PLAIN = f'<rect width="32" height="32" rx="6" fill="#0b5394"/>{LETTER}'
# The letter spans 14 of 32 units; scaled by 0.75 about the centre it stays in the safe zone.
MASKABLE = ('<rect width="32" height="32" fill="#0b5394"/>'
            f'<g transform="translate(4 4) scale(0.75)">{LETTER}</g>')
ICONS = {"icon-192.png": (192, PLAIN), "icon-512.png": (512, PLAIN),
         "maskable-512.png": (512, MASKABLE), "apple-touch-icon.png": (180, MASKABLE)}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=os.environ.get("ASTA_CHROMIUM",
                                                                   "/usr/bin/chromium"))
        for name, (size, drawing) in ICONS.items():
            page = browser.new_page(viewport={"width": size, "height": size})
            page.set_content(
                '<html><body style="margin:0;background:transparent">'
                f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="{size}" '
                f'height="{size}" style="display:block">{drawing}</svg></body></html>')
            page.screenshot(path=str(OUT / name), omit_background=True)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
