"""The Vega JavaScript the HTML book's interactive figures run on, written into the staged ``_static`` once.

``analysis.book.interactive`` emits charts that call ``vegaEmbed``; this build step serves the
Vega/Vega-Lite/Vega-Embed bundle (from the vl-convert package) so the book works offline.
"""

from __future__ import annotations

from pathlib import Path

BUNDLE_NAME = "vega-bundle.js"


def write_vega_bundle(static_dir: Path) -> Path:
    """Write the Vega/Vega-Lite/Vega-Embed bundle into the staged _static folder (once)."""
    import vl_convert

    target = static_dir / BUNDLE_NAME
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        # A function scope keeps the bundle's top-level names (such as `_`) from colliding with the
        # theme's globals; the bundle itself puts vegaEmbed, vega and vegaLite on window.
        target.write_text("(function () {\n" + vl_convert.javascript_bundle() + "\n})();\n", encoding="utf-8")
    return target
