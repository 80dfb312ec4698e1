"""The pages a reader meets first, in the built HTML: the landing page's answers, every claim's card and
its link, the ClaimReview data, the register's download, the chapters' openings and the short
Reproducibility page.

Renders the session's executed book once (conftest.py ``html_book``) and reads the pages' HTML.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from analysis.book import citation
from analysis.metrics import claims

pytestmark = pytest.mark.slow
WORD = re.compile(r"[^\W_]")
OPENING_PAGES = ("ports", "encounters", "who", "budget", "checks", "budget_document", "budget_latest")


def page(html_dir: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((html_dir / "chapters" / f"{name}.html").read_text(encoding="utf-8"), "html.parser")


def words(element) -> int:
    """Words a reader sees in an element: inline pieces joined as printed, list items and paragraphs apart, and
    only pieces with a letter or digit (a lone dash or colon is not a word)."""
    blocks = element.find_all(["p", "li"]) or [element]
    return sum(
        len([word for word in block.get_text("").split() if WORD.search(word)])
        for block in blocks
        if not block.find(["p", "li"])
    )


def opening(soup: BeautifulSoup) -> list:
    """The elements between a page's title and its first section, figure, table or box."""
    title = soup.find("article").find("h1")
    shown = []
    for element in title.find_next_siblings():
        if (
            element.name == "section"
            or element.find(["figure", "table", "img"])
            or "admonition" in element.get("class", [])
        ):
            break
        if element.get_text(strip=True):
            shown.append(element)
    return shown


def test_the_landing_page_opens_with_the_answers_each_linked_and_with_its_number(html_book):
    soup = page(html_book[0], "intro")
    before = opening(soup)
    assert sum(words(element) for element in before) <= 150
    lists = [element for element in before if element.name == "ul"]
    assert lists, "no list of answers before the first section"
    first_list = soup.find("article").find("ul")
    assert first_list is lists[0], "the answers are not the first list of the page"
    items = first_list.find_all("li", recursive=False)
    assert len(items) == 6
    for item in items:
        link = item.find("a")
        assert link is not None and re.match(r"(chapters/)?[a-z_]+\.html", link["href"]), item.get_text()
        assert re.search(r"\d", item.get_text()), item.get_text()


def test_every_claim_has_a_card_and_every_link_to_a_card_resolves(html_book):
    html_dir, _ = html_book
    register = claims.load_claims()
    cards = page(html_dir, "claims")
    ids = {element["id"] for element in cards.find_all(id=True)}
    missing = [claim_id for claim_id in register["id"] if claims.anchor(claim_id) not in ids]
    assert missing == []
    unresolved = []
    for path in sorted((html_dir / "chapters").glob("*.html")):
        for link in BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").find_all("a", href=True):
            target, _, fragment = link["href"].partition("#")
            if fragment.startswith("claim-"):
                target_page = path.name if not target else Path(target).name
                if target_page != "claims.html" or fragment not in ids:
                    unresolved.append(f"{path.name}: {link['href']}")
    assert unresolved == []


def test_each_card_is_titled_by_its_verdict_and_headline_never_its_id(html_book):
    soup = page(html_book[0], "claims")
    register = claims.load_claims()
    titles = [card.find(class_="admonition-title").get_text() for card in soup.find_all(class_="claim-card")]
    assert len(titles) == len(register)
    assert [title for title in titles if title.split(": ", 1)[0] not in claims.PLAIN_WORDS] == []
    assert [title for title in titles if any(claim_id in title for claim_id in register["id"])] == []
    assert not [title for title in titles if "**" in title or title.split(": ", 1)[1].startswith("- ")]


def test_each_factual_claim_carries_claim_review_data_that_parses(html_book):
    html_dir, _ = html_book
    soup = page(html_dir, "claims")
    reviews = [json.loads(script.string) for script in soup.find_all("script", type="application/ld+json")]
    register = claims.load_claims()
    factual = register[register["rule"] != "not_a_claim"]
    assert len(reviews) == len(factual)
    ids = {element["id"] for element in soup.find_all(id=True)}
    plain = set(claims.PLAIN_WORDS)
    book_url = citation.book_url(citation.citation())
    for review in reviews:
        assert review["@type"] == "ClaimReview" and review["claimReviewed"]
        assert not review["claimReviewed"].startswith("A table: ") or " | " in review["claimReviewed"]  # rows quoted
        assert review["itemReviewed"]["@type"] == "Claim" and review["reviewRating"]["alternateName"] in plain
        author = review["itemReviewed"].get("author", {}).get("name", "")
        assert "not named" not in author and "**" not in review["claimReviewed"]  # nothing unknown, no Markdown
        if book_url:  # a full address, or none: never one relative to a page
            assert review["url"] == f"{book_url}/chapters/claims.html#{review['url'].split('#')[1]}"
            assert review["url"].split("#")[1] in ids
        else:
            assert "url" not in review


def test_the_register_downloads_as_csv_with_a_link_to_each_card(html_book):
    html_dir, _ = html_book
    soup = page(html_dir, "claims")
    link = soup.find("a", href=re.compile(r"claims-register\.csv$"))
    assert link is not None
    frame = pd.read_csv((html_dir / "chapters" / link["href"]).resolve(), dtype=str, keep_default_na=False)
    assert len(frame) == len(claims.load_claims())
    ids = {element["id"] for element in soup.find_all(id=True)}
    assert all(value.startswith("chapters/claims.html#") and value.split("#")[1] in ids for value in frame["link"])
    assert set(frame["verdict"]) <= set(claims.PLAIN_WORDS) and "Cited source not found" in set(frame["verdict"])


@pytest.mark.parametrize("name", OPENING_PAGES)
def test_each_chapter_opens_with_its_answer_in_at_most_120_plain_words(html_book, name):
    before = opening(page(html_book[0], name))
    assert before, f"{name}: nothing before the first section or figure"
    assert sum(words(element) for element in before) <= 120
    assert not [element for part in before for element in part.find_all(["strong", "b", "code"])], (
        f"{name}: bold or code in the opening"
    )


def test_reproducibility_is_a_short_page_whose_downloads_exist(html_book):
    html_dir, _ = html_book
    soup = page(html_dir, "reproducibility")
    assert len(soup.find("article").find_all("tr")) < 60
    links = soup.find_all("a", href=re.compile(r"_static/data/"))
    assert len(links) >= 6
    for link in links:
        assert (html_dir / "chapters" / link["href"]).resolve().exists(), link["href"]
