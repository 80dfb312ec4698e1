"""The HTML book in a real browser: every page fits a phone, every chart its column, the landing
page's answers fit the first screen of a laptop, every data link resolves, and pages stay light.

Renders the session's executed book (conftest.py ``executed_book``) with Jupyter Book, strictly,
then loads every page once in one headless Chromium (Debian's chromium package, from apt.txt),
served over local HTTP: at 390x844 (a phone) and, for the landing page and the pages with a chart,
at 1280x800 (a laptop). The tests read the measurements.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from analysis import config
from bookmachine import icons
from conftest import rendered_html
from tests.helpers.browser import FLAGS, Browser, serve

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt.txt lists it; make system installs it)"
)
PHONE, LAPTOP = (390, 844, True), (1280, 800, False)
LANDING = "chapters/intro.html"
# Bytes a fresh load may transfer, every lazy image included, served uncompressed (a web server's
# gzip roughly halves the text). The theme's stylesheets, scripts and search index are about 840 kB
# of every page; the chart library (Vega-Embed with Vega and Vega-Lite) 900 kB; the rest is the page
# and its figures (50-80 kB each). Measured at 0.85-1.0 MB for text pages, 1.8-2.0 MB with a chart.
BUDGET_TEXT_PAGE = 1_100_000
BUDGET_CHART_PAGE = 2_300_000
BUDGET_EXCEPTIONS = {"chapters/claims.html": 1_300_000}  # 170 claim cards, each with its ClaimReview markup

# Tables that are not data and so link no CSV: (page, the table's first heading) -> why. Every table of
# the book is data today (parameters, inputs, vintages, claims, the Data page's own list included); an
# entry here must say why its table is not (see test_every_table_links_its_own_csv).
TABLES_THAT_ARE_NOT_DATA: dict[tuple[str, str], str] = {}
MEASURE = """(() => {
  const viewport = document.documentElement.clientWidth;
  const main = document.querySelector('main') || document.body;
  const scrolls = (element) => {
    for (let up = element.parentElement; up && up !== main.parentElement; up = up.parentElement) {
      if (['auto', 'scroll'].includes(getComputedStyle(up).overflowX)) return true;
    }
    return false;
  };
  const name = (element) => element.tagName.toLowerCase() + (element.id ? '#' + element.id : '')
    + (typeof element.className === 'string' && element.className ? '.' + element.className.trim().split(/\\s+/).join('.') : '');
  const wide = [];
  for (const element of main.querySelectorAll('*')) {
    const box = element.getBoundingClientRect();
    const offCanvas = box.left >= viewport;  // a closed drawer (the theme's sidebars) waits off screen
    if (box.width > 0 && box.height > 0 && box.right > viewport + 1 && !offCanvas && !scrolls(element)) {
      wide.push(name(element) + ' ' + Math.round(box.left) + '-' + Math.round(box.right));
    }
  }
  const column = (element) => element.closest('figure, .cell_output, article').getBoundingClientRect().width;
  const charts = Array.from(document.querySelectorAll('.vega-chart')).map((chart) => {
    const drawn = chart.querySelector('svg, canvas');
    return {figure: chart.closest('.vega-figure').id, width: drawn ? drawn.getBoundingClientRect().width : null,
            column: column(chart)};
  });
  const images = Array.from(main.querySelectorAll('img')).map((image) => ({
    src: image.getAttribute('src'), width: image.getBoundingClientRect().width, column: column(image)}));
  const firstSection = main.querySelector('article h2');
  const firstList = Array.from(main.querySelectorAll('article ul')).find((list) =>
    !firstSection || (list.compareDocumentPosition(firstSection) & Node.DOCUMENT_POSITION_FOLLOWING));
  // The words a reader sees between the page's title and its first section, box or figure (innerText: as
  // rendered), counting only pieces with a letter or digit.
  let openingWords = 0;
  const title = main.querySelector('article h1');
  for (let element = title && title.nextElementSibling; element; element = element.nextElementSibling) {
    if (element.tagName === 'SECTION' || element.classList.contains('admonition') || element.querySelector('figure, table, img')) break;
    openingWords += (element.innerText.match(/\\S+/g) || []).filter((word) => /[\\p{L}\\p{N}]/u.test(word)).length;
  }
  return {
    viewport, pageWidth: document.documentElement.scrollWidth, wide: wide.slice(0, 10), charts, images, openingWords,
    errors: Array.from(document.querySelectorAll('.vega-figure[data-error]')).map((f) => f.id + ': ' + f.dataset.error),
    csv: Array.from(document.querySelectorAll('a[href$=".csv"]')).map((link) => link.href),
    resources: performance.getEntriesByType('resource').map((entry) => entry.name),
    answers: firstList ? Array.from(firstList.children).map((item) => ({
      text: item.textContent, bottom: item.getBoundingClientRect().bottom,
      chapterLinks: Array.from(item.querySelectorAll('a')).filter((a) => /chapters\\/[a-z_]+\\.html/.test(a.href)).length,
    })) : [],
  };
})()"""
READY = """(async () => {
  document.querySelectorAll('img[loading="lazy"]').forEach((image) => { image.loading = 'eager'; });
  await Promise.all(Array.from(document.images).map((image) => image.decode().catch(() => null)));
  return Array.from(document.querySelectorAll('.vega-figure'))
    .every((figure) => figure.dataset.drawn === 'true' || figure.dataset.error);
})()"""


@pytest.fixture(scope="module")
def html_book(executed_book):
    """The whole book rendered to HTML (Sphinx warnings are errors): (html directory, build log)."""
    return rendered_html(executed_book["build_dir"])


def chapter_pages(html_dir: Path) -> list[str]:
    return sorted(path.relative_to(html_dir).as_posix() for path in (html_dir / "chapters").glob("*.html"))


@pytest.fixture(scope="module")
def pages(html_book):
    """Every chapter page measured in one browser: page -> {"phone": ..., "laptop": ...} (laptop only for
    the landing page and the pages with a chart), each with the bytes its fresh load transferred."""
    html_dir, _ = html_book
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt.txt lists it; make system installs it)")
    base, server = serve(html_dir)
    browser = Browser(CHROMIUM)
    measured: dict[str, dict] = {}
    try:
        for page in chapter_pages(html_dir):
            screens = [("phone", PHONE)]
            if page == LANDING or 'class="vega-figure' in (html_dir / page).read_text(encoding="utf-8"):
                screens.append(("laptop", LAPTOP))
            for screen, (width, height, mobile) in screens:
                loaded = browser.open(base + page, width, height, mobile)
                assert loaded.wait_for(READY), f"{page}: the charts were not drawn within 15 s"
                measured.setdefault(page, {})[screen] = {**loaded.evaluate(MEASURE), "bytes": loaded.total_bytes()}
    finally:
        browser.close()
        server.shutdown()
    return measured


def test_every_page_shows_the_version_and_links_to_the_releases(html_book):
    html_dir, _ = html_book
    for page, prefix in ((html_dir / "chapters" / "ports.html", ""), (html_dir / "search.html", "chapters/")):
        text = page.read_text(encoding="utf-8")
        assert re.search(r"Version \d+\.\d+\.\d+", text), page
        assert f'href="{prefix}changes.html#all-versions"' in text, page
    assert 'id="all-versions"' in (html_dir / "chapters" / "changes.html").read_text(encoding="utf-8")


def test_the_html_build_log_has_no_error_and_no_invented_repository(html_book):
    html_dir, log = html_book
    assert not [line for line in log.splitlines() if "ERROR" in line]
    assert "evidence-book/immigration-drugs" not in (html_dir / "chapters" / "intro.html").read_text(encoding="utf-8")


def test_every_page_has_link_preview_tags_and_links_the_pdf(html_book):
    """og:title is the page's title, og:description its opening paragraph (not empty, not the title
    again); the header links to the whole book's PDF."""
    html_dir, _ = html_book
    for page in chapter_pages(html_dir):
        text = (html_dir / page).read_text(encoding="utf-8")
        title = re.search(r'<meta property="og:title" content="([^"]+)"', text)
        description = re.search(r'<meta property="og:description" content="([^"]{40,})"', text)
        assert title and description and description.group(1) != title.group(1), page
        assert 'href="../book.pdf"' in text, page


def test_the_theme_icons_come_from_the_reduced_fonts(html_book):
    """Every icon class on the pages is one the reduced fonts hold (else the browser would fetch the
    theme's whole font), and no page loads the 1.5 MB fontawesome.js."""
    html_dir, _ = html_book
    used = set()
    for page in chapter_pages(html_dir):
        text = (html_dir / page).read_text(encoding="utf-8")
        assert "fontawesome.js" not in text, page
        used |= set(re.findall(r'class="[^"]*\bfa[sb]?\b[^"]*\bfa-([a-z0-9-]+)', text))
    held = {name for names in icons.ICONS.values() for name in names}
    assert used and used - {"lg", "solid", "brands"} <= held


@needs_chromium
def test_no_page_is_wider_than_a_phone(pages):
    """At 390x844 nothing on any page reaches past the screen's right edge (wide tables scroll inside
    their own box)."""
    problems = {
        page: screens["phone"]["wide"] or screens["phone"]["pageWidth"]
        for page, screens in pages.items()
        if screens["phone"]["wide"] or screens["phone"]["pageWidth"] > screens["phone"]["viewport"]
    }
    assert problems == {}


@needs_chromium
def test_every_chart_is_drawn_and_fits_its_column(pages):
    """On a phone and on a laptop each interactive chart is drawn, no wider than its column, and uses
    most of it; every static figure fits too."""
    charts = 0
    for page, screens in pages.items():
        for screen, found in screens.items():
            assert found["errors"] == [], (page, screen)
            for chart in found["charts"]:
                charts += 1
                assert chart["width"] is not None and chart["width"] <= chart["column"] + 1, (page, screen, chart)
                assert chart["width"] >= 0.45 * chart["column"], (page, screen, chart)
            for image in found["images"]:
                assert image["width"] <= image["column"] + 1, (page, screen, image)
    assert charts >= 5


@needs_chromium
def test_the_landing_page_answers_fill_its_first_screen(pages):
    """At 1280x800 the landing page's answers (the first bulleted list of its main content, before any
    section heading) are on the first screen, each with a link to its chapter and a number; the words a
    reader sees before the first section, as the browser renders them, are at most 150."""
    answers = pages[LANDING]["laptop"]["answers"]
    assert len(answers) == 6
    assert 0 < pages[LANDING]["phone"]["openingWords"] <= 150
    for answer in answers:
        assert answer["chapterLinks"] >= 1 and re.search(r"\d", answer["text"]), answer["text"][:80]
        assert answer["bottom"] <= LAPTOP[1], answer["text"][:80]


@needs_chromium
def test_every_csv_link_resolves_and_the_data_page_lists_it(pages, html_book):
    html_dir, _ = html_book
    local = re.compile(r"^http://127\.0\.0\.1:\d+/")  # the local server; other links are the publishers' files
    linked = {}
    for page, screens in pages.items():
        for address in filter(local.match, screens["phone"]["csv"]):
            linked.setdefault(local.sub("", address), page)
    assert len(linked) >= 15
    for relative, page in linked.items():
        path = html_dir / relative
        assert path.is_file(), f"{page} links to {relative}, which is not in the HTML book"
        assert not pd.read_csv(path).empty, relative
    data_page = {local.sub("", address) for address in pages["chapters/data.html"]["phone"]["csv"]}
    assert set(linked) <= data_page


def tables_without_csv(html: str) -> list[str]:
    """The first heading of every table in a page's article that has no CSV link of its own: a
    ``p.data-links`` paragraph with a link to a .csv file right after the table (or after the box that
    scrolls it on a phone). A table inside a figure belongs to the figure, whose data link is its own."""
    soup = BeautifulSoup(html, "html.parser")
    missing = []
    for table in soup.select("article table"):
        if table.find_parent("figure"):
            continue
        box = table.parent if "pst-scrollable-table-container" in (table.parent.get("class") or []) else table
        after = box.find_next_sibling()
        linked = after is not None and after.name == "p" and "data-links" in (after.get("class") or [])
        if not (linked and after.select_one('a[href$=".csv"]')):
            heading = table.find("th")
            missing.append(heading.get_text(" ", strip=True) if heading else "(no heading)")
    return missing


def test_tables_without_csv_finds_a_table_whose_link_is_missing_or_not_its_own():
    linked = '<div class="pst-scrollable-table-container"><table><tr><th>A</th></tr></table></div>'
    link = '<p class="data-links">Download: <a href="../_static/data/a.csv">table (CSV)</a></p>'
    page = (
        f"<article>{linked}{link}"  # linked under its scrolling box: fine
        "<table><tr><th>B</th></tr></table>"  # no link
        f"<table><tr><th>C</th></tr></table><p>text</p>{link}"  # a link, but after other text: not its own
        '<table><tr><th>D</th></tr></table><p class="data-links"><a href="d.json">about</a></p>'  # no CSV
        "<figure><table><tr><th>E</th></tr></table></figure></article>"  # a figure's table
    )
    assert tables_without_csv(page) == ["B", "C", "D"]


def test_every_table_links_its_own_csv(html_book):
    """Every table of every page is data, and its CSV is linked right under it (``markdown_table(...,
    download=...)``, or the build's own pages' links); a table that is not data must be listed, with the
    reason, in TABLES_THAT_ARE_NOT_DATA."""
    html_dir, _ = html_book
    missing = {
        (page, heading)
        for page in chapter_pages(html_dir)
        for heading in tables_without_csv((html_dir / page).read_text(encoding="utf-8"))
    }
    assert missing - set(TABLES_THAT_ARE_NOT_DATA) == set()
    assert set(TABLES_THAT_ARE_NOT_DATA) <= missing  # an exception no longer needed is removed


@needs_chromium
def test_pages_stay_within_their_weight_and_load_the_chart_library_only_where_a_chart_is(pages):
    weights = {}
    for page, screens in pages.items():
        phone = screens["phone"]
        has_chart = bool(phone["charts"])
        loads_library = any(name.split("?")[0].endswith("/vega-bundle.js") for name in phone["resources"])
        assert loads_library == has_chart, page
        assert not any("fontawesome" in name for name in phone["resources"]), page
        budget = BUDGET_EXCEPTIONS.get(page, BUDGET_CHART_PAGE if has_chart else BUDGET_TEXT_PAGE)
        weights[page] = (phone["bytes"], budget)
    print("\npage weights (bytes of a fresh load with every image, budget):", weights)
    assert {page: pair for page, pair in weights.items() if pair[0] > pair[1]} == {}


@needs_chromium
def test_sortable_tables_filter_and_sort(tmp_path):
    """The claims register's table tools on a small page: a filter box appears, typing hides rows,
    and clicking a header sorts numbers numerically (10 after 9), then in reverse."""
    script = (config.PROJECT_ROOT / "_static" / "table-tools.js").read_text(encoding="utf-8")
    page = tmp_path / "table.html"
    page.write_text(
        """<!doctype html><html><body>
<table class="sortable" id="t"><thead><tr><th>Claim</th><th>Value</th></tr></thead>
<tbody><tr><td>alpha</td><td>10</td></tr><tr><td>beta</td><td>9</td></tr><tr><td>gamma</td><td>1,200</td></tr></tbody></table>
<script>SCRIPT</script>
<script>
document.addEventListener("DOMContentLoaded", function () {
var header = document.querySelectorAll("#t th")[1];
header.click();
document.body.setAttribute("data-ascending", Array.from(document.querySelectorAll("#t tbody td:first-child")).map(c => c.textContent).join(","));
header.click();
document.body.setAttribute("data-descending", Array.from(document.querySelectorAll("#t tbody td:first-child")).map(c => c.textContent).join(","));
var box = document.querySelector("input.table-filter");
box.value = "gam"; box.dispatchEvent(new Event("input"));
document.body.setAttribute("data-visible", Array.from(document.querySelectorAll("#t tbody tr")).filter(r => !r.hidden).length);
});
</script></body></html>""".replace("SCRIPT", script),
        encoding="utf-8",
    )
    dom = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    assert 'data-ascending="beta,alpha,gamma"' in dom
    assert 'data-descending="gamma,alpha,beta"' in dom
    assert 'data-visible="1"' in dom


@needs_chromium
def test_the_registers_filter_finds_cards_and_each_card_gives_its_full_address(html_book):
    """On the claims register a word or a verdict hides the other cards (and counts those shown); each card's
    address is the page's own address and the card's anchor, complete."""
    html_dir, _ = html_book
    base, server = serve(html_dir)
    browser = Browser(CHROMIUM)
    try:
        loaded = browser.open(base + "chapters/claims.html", *PHONE)
        shown = "document.querySelectorAll('.claim-card:not([hidden])').length"
        total = loaded.evaluate(shown)
        loaded.evaluate(
            "(() => { const box = document.querySelector('.claim-filter-text'); box.value = 'fentanyl';"
            " box.dispatchEvent(new Event('input')); })()"
        )
        with_word = loaded.evaluate(shown)
        assert 0 < with_word < total
        assert loaded.evaluate("document.querySelector('.claim-filter-count').textContent") == (
            f"{with_word} of {total} cards"
        )
        loaded.evaluate(
            "(() => { const box = document.querySelector('.claim-filter-text'); box.value = '';"
            " box.dispatchEvent(new Event('input')); const pick = document.querySelector('.claim-filter-verdict');"
            " pick.value = 'Cited source not found'; pick.dispatchEvent(new Event('change')); })()"
        )
        titles = loaded.evaluate(
            "Array.from(document.querySelectorAll('.claim-card:not([hidden]) .admonition-title'))"
            ".map((title) => title.textContent)"
        )
        assert titles and all(title.startswith("Cited source not found: ") for title in titles)
        address = loaded.evaluate("document.querySelector('#claim-doc001-kg-total a.card-address').textContent")
        assert address == base + "chapters/claims.html#claim-doc001-kg-total"
    finally:
        browser.close()
        server.shutdown()
