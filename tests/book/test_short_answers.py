"""The state and correlation chapters answer first: their short answer, with every glued number and
word filled in from the executed book, is under 120 words and comes before any section heading."""

from __future__ import annotations

import json
import re

import pytest

from analysis import config

GLUE = re.compile(r"\{glue:text\}`(?:[\w.]+\.ipynb::)?([\w.]+)(?::([^`]*))?`")
LIMIT = 120


def rendered(text: str, numbers: dict) -> str:
    """Markdown with glue roles replaced by their formatted values, and markup removed."""

    def value(match: re.Match) -> str:
        number, spec = numbers[match.group(1)], match.group(2)
        return format(number, spec) if spec and spec != "s" else str(number)

    text = GLUE.sub(value, text)
    text = re.sub(r"\{term\}`([^<`]*?) *(?:<[^>]*>)?`", r"\1", text)
    return re.sub(r"[*`]", "", text)


def short_answer(chapter: str) -> tuple[str, str]:
    """The chapter's short-answer admonition and the text before it."""
    source = (config.PROJECT_ROOT / "chapters" / f"{chapter}.md").read_text(encoding="utf-8")
    before, rest = source.split("```{admonition} The short answer", 1)
    body = rest.split("```", 1)[0].split("\n", 2)[2]  # after the ':class:' line
    return before, body


def test_the_word_count_ignores_markup():
    numbers = {"a.b": -37.9, "c.d": "fewer"}
    assert (
        rendered("**{glue:text}`c.d`** ({glue:text}`x.ipynb::a.b:+.0f` per {term}`point <Point>`)", numbers)
        == "fewer (-38 per point)"
    )


@pytest.mark.parametrize("chapter", ["state_panel", "correlation"])
def test_chapters_open_with_their_answer_in_under_120_words(chapter, executed_book):
    numbers = json.loads((executed_book["build_dir"] / "numbers.json").read_text(encoding="utf-8"))
    before, body = short_answer(chapter)
    assert "\n## " not in before  # the answer comes before any section
    words = rendered(body, numbers).split()
    assert 40 < len(words) < LIMIT, " ".join(words)
