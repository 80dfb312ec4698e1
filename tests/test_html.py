"""The HTML book: every page shows the version and links to the releases; in a real browser the
interactive chart renders and its data link resolves.

Renders the session's executed book (conftest.py ``executed_book``) with Jupyter Book, strictly,
then loads pages in headless Chromium (Debian's chromium package, installed from apt.txt).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis import config

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def ports_page(html_book):
    return html_book[0] / "chapters" / "ports.html"


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


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt.txt lists it; make system installs it)")
def test_interactive_chart_renders_and_its_data_link_resolves(ports_page, tmp_path):
    dom = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=10000",
                          "--dump-dom", ports_page.as_uri()], capture_output=True, text=True, timeout=120).stdout
    chart = re.search(r'<div class="vega-chart[^"]*" id="chart-ports-share"[^>]*>(.*?)</div>', dom, flags=re.DOTALL)
    assert chart, "the chart container is missing"
    assert "<svg" in chart.group(1) or "<canvas" in chart.group(1), "the chart did not render"
    link = re.search(r'href="([^"]*ports-share\.csv)"', dom)
    assert link, "no download link for the chart's data"
    csv = (ports_page.parent / link.group(1)).resolve()
    assert csv.exists()
    data = pd.read_csv(csv)
    assert {"scope", "fy_label", "drug", "share"} <= set(data.columns) and data["share"].between(0, 1).all()


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt.txt lists it; make system installs it)")
def test_sortable_tables_filter_and_sort(tmp_path):
    """The claims register's table tools on a small page: a filter box appears, typing hides rows,
    and clicking a header sorts numbers numerically (10 after 9), then in reverse."""
    script = (config.PROJECT_ROOT / "_static" / "table-tools.js").read_text(encoding="utf-8")
    page = tmp_path / "table.html"
    page.write_text("""<!doctype html><html><body>
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
</script></body></html>""".replace("SCRIPT", script), encoding="utf-8")
    dom = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri()],
                         capture_output=True, text=True, timeout=120).stdout
    assert 'data-ascending="beta,alpha,gamma"' in dom
    assert 'data-descending="gamma,alpha,beta"' in dom
    assert 'data-visible="1"' in dom
