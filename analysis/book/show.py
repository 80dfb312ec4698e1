"""Displays a chapter renders: its parameters, the raw inputs it read, its claims judged, a scenario."""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown, display

from analysis.book import claim_cards
from analysis.book.glue import PUBLISHED
from analysis.book.tables import markdown_table
from analysis.data import catalog
from analysis.metrics import claims, openings


def parameter_text(value) -> str:
    """A parameter's value as a reader reads it: a list as its items joined by commas, None as 'none',
    numbers with thousands separators; never a Python literal ("['Fentanyl', ...]")."""
    if value is None:
        return "none"
    if isinstance(value, (list, tuple)):
        return ", ".join(parameter_text(item) for item in value) or "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def show_parameters(parameters: dict) -> None:
    """Render the papermill parameters this chapter ran with, as a table."""
    display(
        markdown_table(
            pd.DataFrame(
                {
                    "Parameter": [f"`{name}`" for name in parameters],
                    "Value": [parameter_text(value) for value in parameters.values()],
                }
            ),
            widths=[30, 70],
        )
    )


def show_inputs(file_ids: list[str]) -> None:
    """Render the raw files a chapter read: title (linked to the official page), vintage, sha256 prefix."""
    items = [catalog.entry(file_id) for file_id in file_ids]
    display(
        markdown_table(
            pd.DataFrame(
                {
                    "Raw file (official page)": [
                        f"[{item['title']}]({item['url']}) ({item['publisher']})" for item in items
                    ],
                    "Vintage": [item.get("vintage", "") for item in items],
                    "sha256 (first 12)": [f"`{item['sha256'][:12]}`" for item in items],
                }
            ),
            widths=[64, 14, 22],
        )
    )


def scenario_summary(
    title: str, path: pd.DataFrame, *, growth: float, shape: str, claimed_extra: tuple[float, float]
) -> None:
    """Render a rebalancing scenario's answer as plain sentences from the path's own numbers, and say
    whether its extra dollars in the last year lie inside the document's claimed range."""
    first, last = path.iloc[0], path.iloc[-1]
    low, high = claimed_extra
    display(
        Markdown(
            f"{title}. Starting in FY{int(first['year'])} from a demand share of {first['demand_share']:.1%} "
            f"of a {first['total']:,.1f} billion dollar budget (growing {growth:.1%} a year, {shape} path), "
            f"the demand share reaches {last['demand_share']:.1%} in FY{int(last['year'])}. That year demand "
            f"reduction receives {last['extra_demand']:,.2f} billion dollars more than at the starting split, "
            f"{openings.inside(last['extra_demand'], low, high)} the document's {low:g} to {high:g} billion a year; "
            f"over the whole path the extra adds up to {last['cumulative_extra']:,.1f} billion."
        )
    )


def show_claims(register: pd.DataFrame, chapter: str) -> None:
    """The claims a chapter tests, each with its comparison: the document's words, the verdict, and
    the computed value with its scope and the one-line reason, judged by the register's own rules
    (``claims.chapter_comparison``) on the values this page has published so far, and a link to the
    claim's card in the register. Call it after the chapter's metrics are published."""
    table = claims.chapter_comparison(register, chapter, {**claims.arithmetic_numbers(register), **PUBLISHED})
    table["claim"] = [
        f"{claim} ({claim_cards.card_link(claim_id, 'card')})"
        for claim_id, claim in zip(table.pop("id"), table["claim"], strict=True)
    ]
    display(
        markdown_table(
            table.rename(
                columns={
                    "claim": "Claim (quoted)",
                    "claimed": "Claimed",
                    "verdict": "Verdict",
                    "why": "Computed, scope and reason",
                }
            ),
            widths=[32, 14, 16, 38],
        )
    )
