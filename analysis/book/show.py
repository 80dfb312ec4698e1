"""Displays a chapter renders: its parameters, the raw inputs it read, its claims judged, a scenario."""

from __future__ import annotations

import json
import re

import pandas as pd
from IPython.display import Markdown, display

from analysis.book import claim_cards
from analysis.book.downloads import Download
from analysis.book.glue import PUBLISHED
from analysis.book.tables import markdown_table
from analysis.data import catalog
from analysis.metrics import claims, openings

# A parameter whose name ends in 'fy' or 'year' ('first_fy', 'start_year') holds a year: 2019, never 2,019.
YEAR_PARAMETER = re.compile(r"(^|_)(fy|year)$")


def parameter_text(value, name: str = "") -> str:
    """A parameter's value as a reader reads it: a list as its items joined by commas, None as 'none',
    numbers with thousands separators but years (``YEAR_PARAMETER``) without; never a Python literal
    ("['Fentanyl', ...]")."""
    if value is None:
        return "none"
    if isinstance(value, (list, tuple)):
        return ", ".join(parameter_text(item, name) for item in value) or "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value) if YEAR_PARAMETER.search(name) else f"{value:,}"
    return str(value)


def parameters_frame(parameters: dict) -> pd.DataFrame:
    """The parameters as their download holds them: name and value, a list or None written as JSON
    (``["Fentanyl", "Cocaine"]``, ``null``) so that a program reads back what the page ran with."""
    return pd.DataFrame(
        {
            "parameter": list(parameters),
            "value": [value if isinstance(value, str) else json.dumps(value) for value in parameters.values()],
        }
    )


def show_parameters(parameters: dict, name: str, labels: dict[str, str] | None = None) -> None:
    """Render the papermill parameters this chapter ran with, as a table whose data download as
    ``<name>.csv`` (``parameters_frame``). ``labels`` gives a parameter a plain name, shown before its
    code name ("Sectors (`sectors_used`)")."""
    labels = labels or {}
    display(
        markdown_table(
            pd.DataFrame(
                {
                    "Parameter": [f"{labels[key]} (`{key}`)" if key in labels else f"`{key}`" for key in parameters],
                    "Value": [parameter_text(value, key) for key, value in parameters.items()],
                }
            ),
            widths=[30, 70],
            download=Download(
                name,
                "one parameter this page ran with, and its value",
                "as the parameter states it (text; a list as JSON)",
                "the page's papermill parameters: the book's parameter file (params/default.yml) or the "
                "notebook's defaults",
            ),
            data=parameters_frame(parameters),
        )
    )


def inputs_frame(file_ids: list[str]) -> pd.DataFrame:
    """The raw files a chapter read, as their download holds them: catalog id, file, title, publisher,
    vintage, official page and the whole sha256."""
    items = [catalog.entry(file_id) for file_id in file_ids]
    return pd.DataFrame(
        {
            "id": [item["id"] for item in items],
            "file": [item["file"] for item in items],
            "title": [item["title"] for item in items],
            "publisher": [item["publisher"] for item in items],
            "vintage": [item.get("vintage", "") for item in items],
            "official_page": [item["url"] for item in items],
            "sha256": [item["sha256"] for item in items],
        }
    )


def show_inputs(file_ids: list[str], name: str) -> None:
    """Render the raw files a chapter read: title (linked to the official page), vintage, sha256 prefix;
    their data (``inputs_frame``, with the whole sha256) download as ``<name>.csv``."""
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
            download=Download(
                name,
                "one raw file this page read: catalog id, file, title, publisher, vintage, official page, sha256",
                "text; sha256 as 64 hexadecimal digits",
                "data/catalog.yml (the publishers' pages and the files' hashes)",
            ),
            data=inputs_frame(file_ids),
        )
    )


def scenario_summary(
    title: str,
    path: pd.DataFrame,
    *,
    growth: float,
    shape: str,
    claimed_extra: tuple[float, float],
    origins: tuple[str, str],
) -> None:
    """Render a rebalancing scenario's answer as plain sentences from the path's own numbers, say where its
    starting share and total come from (``origins``: ``sections.budget.scenario_origins``), and say whether its
    extra dollars in the last year lie inside the document's claimed range."""
    first, last = path.iloc[0], path.iloc[-1]
    low, high = claimed_extra
    share_from, total_from = origins
    display(
        Markdown(
            f"{title}. Starting in FY{int(first['year'])} from a demand share of {first['demand_share']:.1%} "
            f"({share_from}) applied to a {first['total']:,.1f} billion dollar budget ({total_from}; growing "
            f"{growth:.1%} a year, {shape} path), "
            f"the demand share reaches {last['demand_share']:.1%} in FY{int(last['year'])}. That year demand "
            f"reduction receives {last['extra_demand']:,.2f} billion dollars more than at the starting split, "
            f"{openings.inside(last['extra_demand'], low, high)} the document's {low:g} to {high:g} billion a year; "
            f"over the whole path the extra adds up to {last['cumulative_extra']:,.1f} billion."
        )
    )


def claims_frame(table: pd.DataFrame) -> pd.DataFrame:
    """A chapter's judged claims (``claims.chapter_comparison``) as their download holds them: id, the
    address of the claim's card (from the book's root), the claim, the claimed value, verdict and why."""
    return pd.DataFrame(
        {
            "id": table["id"],
            "link": [f"{claims.REGISTER_PAGE}#{claims.anchor(claim_id)}" for claim_id in table["id"]],
            "claim": table["claim"],
            "claimed": table["claimed"],
            "verdict": table["verdict"],
            "why": table["why"],
        }
    )


def show_claims(register: pd.DataFrame, chapter: str) -> None:
    """The claims a chapter tests, each with its comparison: the document's words, the verdict, and
    the computed value with its scope and the one-line reason, judged by the register's own rules
    (``claims.chapter_comparison``) on the values this page has published so far, and a link to the
    claim's card in the register; the rows download as ``<chapter>-claims.csv``. Call it after the
    chapter's metrics are published."""
    table = claims.chapter_comparison(register, chapter, {**claims.arithmetic_numbers(register), **PUBLISHED})
    shown = table.assign(
        claim=[
            f"{claim} ({claim_cards.card_link(claim_id, 'card')})"
            for claim_id, claim in zip(table["id"], table["claim"], strict=True)
        ]
    ).drop(columns="id")
    display(
        markdown_table(
            shown.rename(
                columns={
                    "claim": "Claim (quoted)",
                    "claimed": "Claimed",
                    "verdict": "Verdict",
                    "why": "Computed, scope and reason",
                }
            ),
            widths=[32, 14, 16, 38],
            download=Download(
                f"{chapter}-claims",
                f"one claim of the five documents that the {chapter.replace('-', ' ')} chapter tests: the claim, "
                "the claimed value, the verdict by the register's rule and why, and the address of its card",
                "as each claim states them",
                "the five source documents (data/claims.csv) and the numbers this chapter computes",
            ),
            data=claims_frame(table),
        )
    )
