"""The appendix of revised cells: the glue keys its text reads (its tables: ``analysis.book.revisions``)."""

from __future__ import annotations


def appendix_numbers(revised: dict) -> dict:
    """Across every reissued dataset (``revisions.facts``): the vintages, the cells and months revised within
    open fiscal years and those years, and the cells of closed fiscal years."""
    return {
        "revisions.vintages": revised["vintages"],
        "revisions.cells": revised["cells"],
        "revisions.months": revised["months"],
        "revisions.fiscal_years": revised["fiscal_years"],
        "revisions.closed_cells": revised["closed_cells"],
    }
