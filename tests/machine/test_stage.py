"""Staging the book source (bookmachine.stage): each builder reads only its own format's ``{only}`` blocks,
and the version reaches the pages without being a Sphinx environment setting."""

from __future__ import annotations

import yaml

from bookmachine import stage

PAGE = """# A page

```{only} html
| Key | Value |
|---|---|
| `a` | 1 |
```

````{only} latex
```{list-table} Numbers
* - `a`
  - 1
```
````

```python
```{only} html
shown as code, not a directive
```

:::{only} latex
A colon fence.
:::

```{only} html and not latex
left alone: not a single format
```
The end.
"""


def test_each_format_keeps_its_own_only_blocks_and_everything_else():
    html, latex = stage.for_format(PAGE, "html"), stage.for_format(PAGE, "latex")
    assert "| `a` | 1 |" in html and "{list-table}" not in html and "A colon fence." not in html
    assert "{list-table} Numbers" in latex and "| `a` | 1 |" not in latex and "A colon fence." in latex
    for text in (html, latex):
        assert "```python\n```{only} html\nshown as code, not a directive\n```\n" in text
        assert (
            "left alone: not a single format" in text and text.startswith("# A page\n") and text.endswith("The end.\n")
        )
    assert stage.for_format(html, "html") == html  # nothing left to drop


def test_an_unclosed_block_runs_to_the_end_of_the_page():
    assert stage.for_format("Before.\n\n```{only} latex\nno closing fence\n", "html") == "Before.\n\n"


def test_the_version_is_in_the_html_context_and_the_pdf_title_not_in_sphinx_version():
    settings = yaml.safe_load(stage.book_config("2.3.0 (abc1234-dirty)"))["sphinx"]["config"]
    assert "version" not in settings and "release" not in settings
    assert settings["html_context"]["version"] == settings["html_context"]["release"] == "2.3.0 (abc1234-dirty)"
    assert settings["latex_elements"]["maketitle"] == r"\release{2.3.0 (abc1234\sphinxhyphen{}dirty)}\sphinxmaketitle"
    assert settings["latex_elements"]["releasename"] == "Release"


def test_a_page_rendered_from_a_shared_notebook_takes_its_title_from_the_table_of_contents(tmp_path):
    import json

    import pytest

    toc = tmp_path / "_toc.yml"
    toc.write_text(
        "root: chapters/intro\nchapters:\n  - file: chapters/budget\n    sections:\n"
        "      - file: chapters/budget_latest\n        title: 'Scenario: the latest split'\n"
    )
    assert stage.toc_titles(toc) == {"chapters/budget_latest": "Scenario: the latest split"}
    assert stage.toc_titles()["chapters/budget_document"] != stage.toc_titles()["chapters/budget_latest"]
    notebook = {"cells": [{"cell_type": "code", "source": "# a comment"}, {"cell_type": "markdown", "source": [
        "(label)=\n", "# Rebalancing scenario\n", "\n", "Text"]}]}  # fmt: skip
    staged = json.loads(stage.titled(json.dumps(notebook).encode(), "Scenario: the latest split"))
    assert staged["cells"][1]["source"] == "(label)=\n# Scenario: the latest split\n\nText"
    assert staged["cells"][0]["source"] == "# a comment"
    assert stage.titled(b"{}", None) == b"{}"
    with pytest.raises(ValueError, match="no '# ' title"):
        stage.titled(json.dumps({"cells": []}).encode(), "A title")
