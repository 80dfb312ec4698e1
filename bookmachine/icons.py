"""The header's icons from a font of just those icons, staged into ``_static`` by the build.

The theme draws its few icons (menu, search, download, full screen, light/dark...) with the Font
Awesome web fonts, 156 kB for the solid style and 118 kB for the brands, and used to load a 1.5 MB
script on top (``_templates/static/webpack-macros.html`` drops it). This step subsets the theme's
own font files (Font Awesome Free 6, SIL OFL 1.1) to the icons the theme's templates and stylesheet
use and declares them after the theme's stylesheet under the same family names, so pages fetch a
few kB. (A character missing from a subset would make the browser fetch the theme's whole font for
it: tests/test_html.py checks that no page does.)
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pydata_sphinx_theme
from fontTools import subset
from fontTools.ttLib import TTFont

THEME_STATIC = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
THEME_CSS = THEME_STATIC / "styles" / "pydata-sphinx-theme.css"
FONTS = THEME_STATIC / "vendor" / "fontawesome" / "webfonts"
# Every icon the theme's templates and header buttons name (tests/test_html.py checks the built pages).
ICONS = {
    ("Font Awesome 6 Free", 900, "fa-solid-900.ttf", "icons-solid.woff"): (
        "angle-left",
        "angle-right",
        "arrow-up",
        "bars",
        "chevron-down",
        "chevron-right",
        "chevron-up",
        "circle-half-stroke",
        "code",
        "download",
        "expand",
        "file",
        "file-lines",
        "file-pdf",
        "house",
        "lightbulb",
        "list",
        "magnifying-glass",
        "moon",
        "outdent",
        "pencil",
        "play",
        "rocket",
        "sun",
        "xmark",
    ),
    ("Font Awesome 6 Brands", 400, "fa-brands-400.ttf", "icons-brands.woff"): ("github", "gitlab"),
}
CSS_NAME = "icons.css"


def codepoint(name: str, css: str) -> int:
    """The character the theme's stylesheet draws for ``fa-<name>`` (``.fa-<name>:before{content:"\\f0c9"}``)."""
    match = re.search(r"\.fa-" + re.escape(name) + r":before[^{]*\{content:\"\\([0-9a-f]+)\"", css)
    if not match:
        raise ValueError(f"the theme's stylesheet has no icon fa-{name}")
    return int(match.group(1), 16)


def stylesheet_icons(css: str) -> set[int]:
    """The characters the theme's stylesheet draws in the icon fonts itself: admonition, external-link,
    download and breadcrumb marks (``--pst-icon-*`` and ``--pst-breadcrumb-divider`` variables)."""
    found = re.findall(r"--pst-(?:icon-[a-z0-9-]+|breadcrumb-divider):\"(\\[0-9a-f]+|[^\"])\"", css)
    return {int(text[1:], 16) if text.startswith("\\") else ord(text) for text in found}


def subset_font(source: Path, codepoints: list[int]) -> bytes:
    """The font reduced to ``codepoints``, as WOFF (zlib; no other compressor is installed).

    The same bytes on every build: the font keeps its own modification date (fontTools would write
    the time of saving, and the staged source, hence the HTML and the PDF, would change every build).
    """
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = []
    options.name_IDs = ["*"]  # keep the copyright and licence names (SIL OFL 1.1 asks for them)
    font = TTFont(source, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.flavor = "woff"
    font.save(buffer)
    return buffer.getvalue()


def icon_files() -> dict[str, bytes]:
    """The subset fonts and ``icons.css`` (their @font-face rules): file name in ``_static`` -> bytes."""
    css = THEME_CSS.read_text(encoding="utf-8")
    files = {}
    rules = [
        "/* Font Awesome Free 6 (fonts SIL OFL 1.1, icons CC BY 4.0), reduced to the icons the theme uses "
        "(bookmachine/icons.py). */"
    ]
    for (family, weight, source, woff), names in ICONS.items():
        wanted = {codepoint(name, css) for name in names} | stylesheet_icons(css)
        files[woff] = subset_font(FONTS / source, sorted(wanted))
        rules.append(
            f'@font-face {{ font-family: "{family}"; font-style: normal; font-weight: {weight}; '
            f'font-display: block; src: url("{woff}") format("woff"); }}'
        )
    files[CSS_NAME] = ("\n".join(rules) + "\n").encode()
    return files
