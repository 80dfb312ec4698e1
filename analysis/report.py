"""Helpers notebooks use to put computed numbers and provenance into the book.

``publish`` glues a number under a stable key (it ends up in ``_build/numbers.json``); the
``show_*`` helpers render the parameters and the raw inputs a chapter used.
"""
from __future__ import annotations

import math
import re
from numbers import Integral, Real

import pandas as pd
from IPython.core.formatters import format_display_data
from IPython.display import Markdown, display

from analysis import catalog, claims

KEY_PATTERN = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
# myst-nb's glue format: a hidden display output whose MIME types carry this prefix and whose
# metadata names the key. Written here directly so the analysis never imports the book toolchain.
GLUE_PREFIX = "application/papermill.record/"
# Every value this kernel has published, so that a chapter can judge its own claims with the
# register's rules (``show_claims``) from the numbers it has just computed.
PUBLISHED: dict = {}


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
    """Glue ``value`` under ``key`` (dotted lower-case, e.g. 'ports.fentanyl.ofo_share.fy2023').

    The output is what ``myst_nb.glue(key, value, display=False)`` writes, so ``{glue}`` roles find it.
    """
    if not KEY_PATTERN.match(key):
        raise ValueError(f"glue key {key!r} must be dotted lower-case words")
    value = plain(value)
    PUBLISHED[key] = value
    bundle, metadata = format_display_data(value)
    metadata["scrapbook"] = {"name": key, "mime_prefix": GLUE_PREFIX}
    display({GLUE_PREFIX + mime: content for mime, content in bundle.items()}, raw=True, metadata=metadata)


def show_parameters(parameters: dict) -> None:
    """Render the papermill parameters this chapter ran with, as a table."""
    display(markdown_table(pd.DataFrame({"Parameter": list(parameters),
                                         "Value": [f"`{value!r}`" for value in parameters.values()]}), widths=[30, 70]))


def show_inputs(file_ids: list[str]) -> None:
    """Render the raw files a chapter read: title (linked to the official page), vintage, sha256 prefix."""
    items = [catalog.entry(file_id) for file_id in file_ids]
    display(markdown_table(pd.DataFrame({
        "Raw file (official page)": [f"[{item['title']}]({item['url']}) ({item['publisher']})" for item in items],
        "Vintage": [item.get("vintage", "") for item in items],
        "sha256 (first 12)": [f"`{item['sha256'][:12]}`" for item in items],
    }), widths=[64, 14, 22]))


def table_text(value) -> str:
    """Cell text that Markdown will not reinterpret: '$' is not math, a leading '-' or '1.' is not a list."""
    text = str(value).replace("$", r"\$").replace("\n", " ").strip()
    if re.match(r"^[-*+#>]", text):
        text = "\\" + text
    text = re.sub(r"^(\d+)([.)])(\s)", r"\1\\\2\3", text)
    return text or " "


def column_widths(frame: pd.DataFrame) -> list[int]:
    """Relative column widths from the typical length of each column's text (header included)."""
    lengths = []
    for column in frame.columns:
        cells = [len(str(column))] + [len(str(value)) for value in frame[column]]
        lengths.append(min(max(sum(cells) / len(cells), 6), 80))
    total = sum(lengths)
    return [max(int(round(100 * length / total)), 5) for length in lengths]


def markdown_table(frame: pd.DataFrame, widths: list[int] | None = None, sortable: bool = False) -> Markdown:
    """A DataFrame as a MyST list-table with a header row and column widths.

    Explicit widths let the PDF wrap long text inside its columns instead of running off the page.
    ``sortable`` tables get a filter box and click-to-sort headers in the HTML (_static/table-tools.js).
    """
    widths = widths or column_widths(frame)
    lines = ["```{list-table}", ":header-rows: 1", f":widths: {' '.join(map(str, widths))}"]
    classes = (["longtable"] if len(frame) > 8 else []) + (["sortable"] if sortable else [])
    if classes:
        lines.append(f":class: {' '.join(classes)}")  # longtable lets the PDF break the table across pages
    lines.append("")
    for row in [list(frame.columns), *frame.itertuples(index=False)]:
        cells = [table_text(value) for value in row]
        lines.append(f"* - {cells[0]}")
        lines += [f"  - {cell}" for cell in cells[1:]]
    lines.append("```")
    return Markdown("\n".join(lines))


def scenario_summary(title: str, path: pd.DataFrame, growth: float, shape: str) -> None:
    """Render a rebalancing scenario's result as a sentence, from the path's own numbers."""
    first, last = path.iloc[0], path.iloc[-1]
    display(Markdown(
        f"### {title}\n\nStarting in FY{int(first['year'])} from a demand share of {first['demand_share']:.1%} "
        f"of a {first['total']:,.1f} billion dollar budget (growing {growth:.1%} a year, {shape} path), "
        f"the demand share reaches {last['demand_share']:.1%} in FY{int(last['year'])}. That year demand "
        f"reduction receives **{last['extra_demand']:,.2f} billion dollars more** than at the starting "
        f"split; over the whole path the extra adds up to {last['cumulative_extra']:,.1f} billion."))


def show_claims(register: pd.DataFrame, chapter: str) -> None:
    """The claims a chapter tests, each with its comparison: the document's words, the verdict, and
    the computed value with its scope and the one-line reason, judged by the register's own rules
    (``claims.chapter_comparison``) on the values this page has published so far. Call it after
    the chapter's metrics are published."""
    table = claims.chapter_comparison(register, chapter, {**claims.arithmetic_numbers(register), **PUBLISHED})
    display(markdown_table(table.rename(columns={"claim": "Claim (quoted)", "claimed": "Claimed", "verdict": "Verdict",
                                                 "why": "Computed, scope and reason"}), widths=[32, 14, 16, 38]))
