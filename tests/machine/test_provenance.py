"""The Reproducibility page's table of every number (bookmachine/provenance.py)."""
from __future__ import annotations


def test_every_number_table_is_complete_in_html_and_grouped_by_page_in_the_pdf():
    from bookmachine import provenance

    numbers = {"budget.a.b": 0.123456789, "ports.c.d": "FY2025", "ports.e.f": 3}
    sources = {"budget.a.b": "budget", "ports.c.d": "ports", "ports.e.f": "ports"}
    text = provenance.numbers_table(numbers, sources, {"budget": "The federal drug budget"})
    html, latex = text.split("````{only} latex")
    assert html.startswith("```{only} html\n| Key | Value | Page |")
    assert "| `budget.a.b` | 0.123457 | budget |" in html and "| `ports.e.f` | 3 | ports |" in html
    assert "```{list-table} Numbers computed on page budget (The federal drug budget)\n" in latex
    assert "```{list-table} Numbers computed on page ports" in latex
    assert latex.index("`ports.c.d`") > latex.index("page ports") > latex.index("`budget.a.b`")
