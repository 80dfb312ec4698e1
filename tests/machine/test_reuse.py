"""Reuse: the citation and BibTeX come from CITATION.cff; the Data page lists exactly the downloads the
pages link to; the header's icons come from fonts reduced to the icons the theme uses."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from fontTools.ttLib import TTFont

from analysis import config
from bookmachine import icons, reuse

CFF = {
    "title": "A book: what the data say",
    "version": "2.1.0",
    "date-released": "2026-11-23",
    "authors": [{"name": "The contributors"}, {"family-names": "Doe", "given-names": "Jane"}],
}


def test_cite_text_and_bibtex_carry_the_version_and_date_of_citation_cff():
    assert reuse.cite_text(CFF) == "The contributors & Doe, Jane (2026). *A book: what the data say* (Version 2.1.0)."
    assert reuse.bibtex(CFF) == (
        "@misc{a_book_2026,\n  author = {{The contributors} and Doe, Jane},\n"
        "  title = {{A book: what the data say}},\n  year = {2026},\n  note = {Version 2.1.0}\n}"
    )


def test_the_citation_names_the_repository_when_citation_cff_has_one():
    cff = {**CFF, "repository-code": "https://example.org/book"}
    assert reuse.cite_text(cff).endswith("(Version 2.1.0). <https://example.org/book>")
    assert "  url = {https://example.org/book}" in reuse.bibtex(cff)


def test_the_cite_block_uses_the_projects_own_citation_file():
    cff = reuse.citation()
    block = reuse.cite_markdown(cff)
    assert f"(Version {cff['version']})" in block and "```bibtex\n@misc{" in block and "CC BY 4.0" in block
    assert (config.PROJECT_ROOT / "LICENSE").read_text(encoding="utf-8").count("CC BY 4.0") >= 1


def test_linked_downloads_maps_each_download_to_the_first_page_linking_it(tmp_path):
    ports, claims = tmp_path / "ports.ipynb", tmp_path / "claims.ipynb"
    ports.write_text('{"data": "<a href=\\"../_static/data/ports-share.csv\\" download>"}')
    claims.write_text("../_static/data/claims-register.csv ../_static/data/ports-share.csv https://x.gov/a.csv")
    assert reuse.linked_downloads({"ports": ports, "claims": claims}) == {
        "ports-share": "ports",
        "claims-register": "claims",
    }


def test_a_link_to_a_download_saved_without_its_description_stops_the_build(tmp_path):
    (tmp_path / "register.csv").write_text("a\n1\n")
    with pytest.raises(FileNotFoundError, match="page 'claims' links to download 'register'.*downloads.save"):
        reuse.download_descriptions({"register": "claims"}, tmp_path)


def test_the_data_page_lists_every_download_with_units_source_version_and_licence(tmp_path):
    described = {
        "name": "ports-share",
        "title": "Port share",
        "units": "share: fraction",
        "source": "CBP",
        "rows": 3,
        "columns": ["share"],
    }
    (tmp_path / "ports-share.csv").write_text("share\n1\n")
    (tmp_path / "ports-share.json").write_text(json.dumps(described))
    rows = reuse.download_descriptions({"ports-share": "ports"}, tmp_path)
    page = reuse.data_page(rows, "2.1.0 (abc1234)")
    assert "<!-- generated -->" not in page and "Version 2.1.0 (abc1234) of the book" in page
    html, latex = page.split("````{only} html")[1].split("````{only} latex")
    assert '<a href="../_static/data/ports-share.csv" download>ports-share.csv</a>' in html
    assert "Port share. Units: share: fraction" in html and "CBP" in html and "shown in {doc}`ports`" in html
    # the PDF counts the files per page and says where the full list is, instead of printing it
    assert "<a href" not in latex and "ports-share" not in latex and "`book-downloads.csv`" in latex
    assert "* - {doc}`ports`\n  - 1\n" in latex
    files = reuse.data_page_files(rows, "2.1.0")
    index = pd.read_csv(io.BytesIO(files[Path("_static") / "data" / "book-downloads.csv"]), keep_default_na=False)
    assert index[["name", "page", "rows", "columns"]].values.tolist() == [
        ["ports-share", "ports", 3, "share"],
        ["book-downloads", "data", 2, "name; title; units; source; page; rows; columns"],  # the index lists itself
    ]
    listed = files[Path("chapters") / "data.md"].decode()
    assert "book-downloads.csv" in listed and 'href="../_static/data/book-downloads.csv" download>table (CSV)' in listed
    metadata = reuse.published_metadata(rows[0], "2.1.0")
    assert metadata["licence"] == "CC BY 4.0" and metadata["book_version"] == "2.1.0"
    assert metadata["page"] == "chapters/ports.html"


def test_icon_fonts_hold_every_named_icon_and_the_stylesheets_own_marks():
    files = icons.icon_files()
    css = icons.THEME_CSS.read_text(encoding="utf-8")
    for (family, _, _, woff), names in icons.ICONS.items():
        held = set(TTFont(io.BytesIO(files[woff])).getBestCmap())
        assert {icons.codepoint(name, css) for name in names} <= held, family
        assert (
            f'font-family: "{family}"' in files[icons.CSS_NAME].decode()
            and f'url("{woff}")' in files[icons.CSS_NAME].decode()
        )
        assert len(files[woff]) < 10_000
    solid = set(TTFont(io.BytesIO(files["icons-solid.woff"])).getBestCmap())
    assert icons.stylesheet_icons(css) - {0xF09B, 0xF296} <= solid  # all but the GitHub and GitLab marks (brands)


def test_codepoint_refuses_an_icon_the_theme_does_not_have():
    with pytest.raises(ValueError, match="fa-no-such-icon"):
        icons.codepoint("no-such-icon", '.fa-bars:before{content:"\\f0c9"}')
    assert icons.codepoint("bars", '.fa-navicon:before,.fa-bars:before{content:"\\f0c9"}') == 0xF0C9


def test_the_header_links_the_repository_only_when_one_is_known(monkeypatch):
    """CITATION.cff's repository-code (else the git remote) becomes the header's Code link; with neither,
    the book invents none."""
    import yaml

    from bookmachine import stage, version

    monkeypatch.setattr(version, "repository_url", lambda: None)
    monkeypatch.setattr(reuse, "citation", lambda: {**CFF, "repository-code": "https://example.org/book"})
    settings = yaml.safe_load(stage.book_config("2.1.0"))
    assert settings["sphinx"]["config"]["html_context"]["book_repository"] == "https://example.org/book"
    monkeypatch.setattr(reuse, "citation", lambda: CFF)
    context = yaml.safe_load(stage.book_config("2.1.0"))["sphinx"]["config"].get("html_context", {})
    assert "book_repository" not in context


def test_without_a_public_address_the_citation_says_so_and_invents_none():
    block = reuse.cite_markdown(CFF)
    assert "<this repository>" not in block and "url =" not in block
    assert "no public web address yet; cite it by its title and version" in block
    published = {**CFF, "url": "https://example.org/book/", "repository-code": "https://example.org/code"}
    assert reuse.cite_text(published).endswith("(Version 2.1.0). <https://example.org/book>")
    assert "no public web address" not in reuse.cite_markdown(published)


def test_the_rebuild_instructions_clone_only_a_known_repository():
    assert "git clone" not in reuse.rebuild_markdown(CFF)
    assert "no public address yet" in reuse.rebuild_markdown(CFF)
    assert "git clone https://example.org/code book" in reuse.rebuild_markdown(
        {**CFF, "repository-code": "https://example.org/code"}
    )


def test_the_book_has_one_title_and_one_author_those_of_citation_cff(monkeypatch):
    """The title page, the footer and the HTML title come from the staged _config.yml, which takes them from
    CITATION.cff; the book's address (url) is not its source (repository-code): the Code link is the latter."""
    import yaml

    from bookmachine import stage, version

    monkeypatch.setattr(version, "repository_url", lambda: None)
    monkeypatch.setattr(reuse, "citation", lambda: {**CFF, "url": "https://example.org/book"})
    settings = yaml.safe_load(stage.book_config("2.1.0"))
    assert settings["title"] == "A book: what the data say"
    assert settings["author"] == "The contributors & Doe, Jane"
    assert "book_repository" not in settings["sphinx"]["config"]["html_context"]
    project = yaml.safe_load((config.PROJECT_ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert "title" not in project and "author" not in project  # set in one place only
