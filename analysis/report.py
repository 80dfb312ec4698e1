"""Helpers notebooks use to put computed numbers and provenance into the book.

``publish`` glues a number under a stable key (it ends up in ``_build/numbers.json``); the
``show_*`` helpers render the parameters and the raw inputs a chapter used.
"""
from __future__ import annotations

import math
import re
from numbers import Integral, Real

import pandas as pd
from IPython.display import Markdown, display

from analysis import catalog

KEY_PATTERN = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")


def plain(value):
    """A plain Python int, float or str (numpy scalars would render as 'np.float64(...)')."""
    if isinstance(value, bool):
        return value
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Real):
        number = float(value)
        if math.isnan(number):
            raise ValueError("refusing to publish NaN: missing data is reported, not glued as a number")
        return number
    if isinstance(value, str):
        return value
    raise TypeError(f"cannot publish {type(value).__name__}; convert to int, float or str")


def publish(key: str, value) -> None:
    """Glue ``value`` under ``key`` (dotted lower-case, e.g. 'ports.fentanyl.ofo_share.fy2023')."""
    from myst_nb import glue

    if not KEY_PATTERN.match(key):
        raise ValueError(f"glue key {key!r} must be dotted lower-case words")
    glue(key, plain(value), display=False)


def show_parameters(parameters: dict) -> None:
    """Render the papermill parameters this chapter ran with, as a table."""
    rows = "\n".join(f"| {name} | `{value!r}` |" for name, value in parameters.items())
    display(Markdown(f"| Parameter | Value |\n|---|---|\n{rows}"))


def show_inputs(file_ids: list[str]) -> None:
    """Render the raw files a chapter read: title (linked to the official page), vintage, sha256 prefix."""
    rows = []
    for file_id in file_ids:
        item = catalog.entry(file_id)
        rows.append(f"| [{item['title']}]({item['url']}) ({item['publisher']}) | {item.get('vintage', '')} | "
                    f"`{item['sha256'][:12]}` |")
    display(Markdown("| Raw file (official page) | Vintage | sha256 (first 12) |\n|---|---|---|\n" + "\n".join(rows)))


def table_text(value) -> str:
    """Cell text that Markdown will not reinterpret: '$' is not math, '|' is not a column break."""
    return str(value).replace("|", "/").replace("$", r"\$").replace("\n", " ")


def markdown_table(frame: pd.DataFrame) -> Markdown:
    """A DataFrame as a Markdown table with a header row (renders in HTML and PDF alike)."""
    header = "| " + " | ".join(map(table_text, frame.columns)) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    body = ["| " + " | ".join(map(table_text, row)) + " |" for row in frame.itertuples(index=False)]
    return Markdown("\n".join([header, rule, *body]))


def scenario_summary(title: str, path: pd.DataFrame, growth: float, shape: str) -> None:
    """Render a rebalancing scenario's result as a sentence, from the path's own numbers."""
    first, last = path.iloc[0], path.iloc[-1]
    display(Markdown(
        f"### {title}\n\nStarting in FY{int(first['year'])} from a demand share of {first['demand_share']:.1%} "
        f"of a {first['total']:,.1f} billion dollar budget (growing {growth:.1%} a year, {shape} path), "
        f"the demand share reaches {last['demand_share']:.1%} in FY{int(last['year'])}. That year demand "
        f"reduction receives **{last['extra_demand']:,.2f} billion dollars more** than at the starting "
        f"split; over the whole path the extra adds up to {last['cumulative_extra']:,.1f} billion."))
