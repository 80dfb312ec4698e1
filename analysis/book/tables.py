"""Tables in the book: a DataFrame as a MyST list-table whose PDF column widths fit their content."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd
from IPython.display import Markdown

from analysis.book import downloads
from analysis.book.downloads import Download

NUMBER_INTERVAL = re.compile(r"([\[(][-+\u2212]?[\d.,]+%?,) +([-+\u2212]?[\d.,]+%?[\])])")


def keep_intervals(text: str) -> str:
    """'[-0.29, +1.07]' with a no-break space after the comma: an interval never wraps inside."""
    return NUMBER_INTERVAL.sub("\\1\u00a0\\2", text)


ROLE = re.compile(r"(\{[a-z:-]+\}`[^`]*`)")  # a MyST role, e.g. {ref}`text <label>`: its text is not Markdown


def escape_dollars(text: str) -> str:
    """'$' escaped so that it is not math, except inside a role, whose text is shown as written."""
    return "".join(part if ROLE.fullmatch(part) else part.replace("$", r"\$") for part in ROLE.split(text))


def table_text(value) -> str:
    """Cell text that Markdown will not reinterpret: '$' is not math, a leading '-' or '1.' is not a list.

    Numeric intervals are kept on one line (``keep_intervals``)."""
    text = keep_intervals(escape_dollars(str(value)).replace("\n", " ").strip())
    if re.match(r"^[-*+#>]", text):
        text = "\\" + text
    text = re.sub(r"^(\d+)([.)])(\s)", r"\1\\\2\3", text)
    return text or " "


# The PDF's geometry, as the LaTeX build sets it (letter paper, 11 pt FreeSerif, Sphinx margins):
# the line is 469.75 pt wide; a cell loses 2 x 6 pt of padding (\tabcolsep), 2 x 0.4 pt that Sphinx's
# column type keeps for rules, and about 1 pt that LaTeX adds at the start of a cell (measured in the log).
PDF_LINE_PT = 469.75
PDF_CELL_PADDING_PT = 14.0
# Font sizes a table may use, largest first: the LaTeX size command and its size in points.
PDF_FONT_SIZES = (("normalsize", 10.95), ("small", 10.0), ("footnotesize", 9.0))
# A cell of at most this many characters (a number, year, interval, code or unit) stays on one line.
SHORT_CELL_CHARS = 15
# A font size is used only if the columns' minimum widths leave this share of the line to the text.
ROOM_FOR_TEXT = 0.2
MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def char_em(char: str, code: bool = False, header: bool = False) -> float:
    """Width of one character in em, a slightly generous estimate for the PDF's fonts.

    Body cells are FreeSerif, header cells FreeSans, code FreeMono (0.6 em for every character);
    the values are measured averages rounded up, with the widest letters (m, w, M, W) apart.
    """
    if code:
        return 0.6
    if char.isspace():
        return 0.25
    if char in "mwMW%@&\u2014":
        return 0.95
    if char.isdigit():
        return 0.56 if header else 0.5
    if char.isupper():
        return 0.72
    if char.isalpha():
        return 0.5 if header else 0.46
    if char in ".,:;'|!\u2019":
        return 0.28
    if char in "<>=+\u00b1\u00d7":
        return 0.58
    return 0.5


def cell_segments(value) -> list[tuple[str, bool]]:
    """A cell's visible text as (text, is_code) pieces: link targets and emphasis marks dropped."""
    text = keep_intervals(MARKDOWN_LINK.sub(r"\1", str(value)).replace("**", "").replace("\n", " "))
    return [(piece, index % 2 == 1) for index, piece in enumerate(text.split("`")) if piece]


def text_em(text: str, code: bool = False, header: bool = False) -> float:
    """Estimated printed width of a piece of text, in em."""
    return sum(char_em(char, code, header) for char in text)


def cell_extent(
    value, *, header: bool = False, keep_short: bool = True, split_code: bool = False
) -> tuple[float, float]:
    """(width of the whole cell on one line, width of its widest unbreakable piece), in em.

    Words (numbers, codes, units) never break (see ``unbreakable_pieces``); a cell of at most
    SHORT_CELL_CHARS characters, such as '[+1.47, +6.82]' or 'USD billion', is one piece when
    ``keep_short``; with ``split_code``, long code words may wrap where LaTeX lets inline code wrap.
    """
    segments = cell_segments(value)
    whole = sum(text_em(text, code, header) for text, code in segments)
    if keep_short and sum(len(text) for text, _ in segments) <= SHORT_CELL_CHARS:
        return whole, whole
    longest = max(
        (
            text_em(piece, code, header)
            for text, code in segments
            for piece in unbreakable_pieces(text, code and split_code)
        ),
        default=0.0,
    )
    return whole, longest


def unbreakable_pieces(text: str, split_code: bool = False) -> list[str]:
    """The pieces a line may not break inside: words; with ``split_code``, the parts of a code word
    after . , ; ? ! / - and _ (where the book's LaTeX lets inline code wrap: Sphinx's breaks plus
    _config.yml's)."""
    words = re.split(r"[ \t]+", text.strip())  # a no-break space joins its neighbours into one piece
    return [piece for word in words for piece in re.split(r"(?<=[.,;?!/_-])", word) if piece] if split_code else words


def column_extents(
    frame: pd.DataFrame, keep_short: bool = True, split_code: bool = False
) -> tuple[list[float], list[float], list[float]]:
    """Per column: (typical cell width, minimum width, natural width) in em, header row included.

    The typical width (the mean over cells) sets a column's share of the line; the minimum (the
    widest unbreakable piece of any cell) is what the column must hold so that nothing wraps
    mid-token; the natural width (the widest whole cell) is all it can use.
    """
    typical, minimum, natural = [], [], []
    for column in frame.columns:
        extents = [cell_extent(column, header=True, keep_short=keep_short, split_code=split_code)]
        extents += [cell_extent(value, keep_short=keep_short, split_code=split_code) for value in frame[column]]
        typical.append(min(sum(whole for whole, _ in extents) / len(extents), 60.0))
        minimum.append(max(piece for _, piece in extents))
        natural.append(max(whole for whole, _ in extents))
    return typical, minimum, natural


def share_line(
    preferred: list[float], minimum: list[float], total: float, *, maximum: list[float] | None = None
) -> list[float]:
    """Split ``total`` in proportion to ``preferred``, each column between its ``minimum`` and ``maximum``.

    A column below its minimum is fixed at it, then one above its maximum (a short column that
    would get more than its widest cell) is fixed there, and the rest is shared again among the
    others, until all fit. When every column would reach its maximum, the line is shared in
    proportion to the maximums; when all are at their minimum, the table is too wide.
    """
    maximum = maximum or [math.inf] * len(preferred)
    fixed: dict[int, float] = {}
    while True:
        free = total - sum(fixed.values())
        weight = sum(max(p, 1e-6) for i, p in enumerate(preferred) if i not in fixed)
        widths = [fixed[i] if i in fixed else free * max(p, 1e-6) / weight for i, p in enumerate(preferred)]
        below = [i for i, w in enumerate(widths) if i not in fixed and w < minimum[i] - 1e-9]
        above = [i for i, w in enumerate(widths) if i not in fixed and w > maximum[i] + 1e-9]
        if below:
            fixed.update({i: minimum[i] for i in below})
        elif above and len(fixed) + len(above) < len(preferred):
            fixed.update({i: maximum[i] for i in above})
        elif above:  # the rest fits on one line: each column at its minimum or its natural width, and
            # what is left of the line shared in proportion to the natural widths (never below a minimum)
            widths = [fixed.get(i, maximum[i]) for i in range(len(preferred))]
            spare = total - sum(widths)
            return [w + spare * m / sum(maximum) for w, m in zip(widths, maximum, strict=True)]
        else:
            return widths


@dataclass(frozen=True)
class TableLayout:
    """How a table is set in the PDF: relative column widths (per mille of the line) and font size."""

    widths: list[int]
    font: str = "normalsize"


def table_layout(frame: pd.DataFrame, widths: list[int] | None = None) -> TableLayout:
    """Column widths and font size that let every number, year, code and unit print whole.

    Each column must hold its widest unbreakable piece (see ``cell_extent``); the rest of the line
    goes to the columns in proportion to ``widths`` (an author's preference) or, by default, to
    their typical text length, but no column gets more than its widest cell while another wraps:
    long text columns take what short columns leave. The largest
    font at which the minimum widths leave ROOM_FOR_TEXT of the line is used. A table too wide even
    at footnote size first lets its short cells wrap between words, then its long code words
    (file paths, glue keys) wrap after . / - or _.
    """
    attempts = [(font, size, True, False, 1 - ROOM_FOR_TEXT) for font, size in PDF_FONT_SIZES[:-1]]
    attempts += [
        (*PDF_FONT_SIZES[-1], True, False, 1.0),
        (*PDF_FONT_SIZES[-1], False, False, 1.0),
        (*PDF_FONT_SIZES[-1], False, True, 1.0),
    ]
    for font, size, keep_short, split_code, usable in attempts:  # noqa: B007 (the font chosen is used below)
        typical, minimum_em, natural_em = column_extents(frame, keep_short, split_code)
        minimum = [em * size + PDF_CELL_PADDING_PT for em in minimum_em]
        if sum(minimum) <= usable * PDF_LINE_PT:
            break
    natural = [em * size + PDF_CELL_PADDING_PT for em in natural_em]
    preferred = [float(w) for w in widths] if widths else [em * size + PDF_CELL_PADDING_PT for em in typical]
    points = share_line(preferred, minimum, PDF_LINE_PT, maximum=natural)
    return TableLayout(per_mille_of_line(points, minimum), font)


def per_mille_of_line(points: list[float], minimum: list[float]) -> list[int]:
    """Column widths in points as positive per-mille shares of the line that add up to 1000.

    Shares are rounded up so that minimums hold; the excess is given back by the columns with the
    most room above their minimum, none going below 1 (a table wider than the line even then is
    left for the LaTeX log check to report).
    """
    per_mille = [max(math.ceil(1000 * p / PDF_LINE_PT), 1) for p in points]
    while sum(per_mille) > 1000:
        slack = [w - 1000 * m / PDF_LINE_PT if w > 1 else -math.inf for w, m in zip(per_mille, minimum, strict=True)]
        widest = slack.index(max(slack))
        per_mille[widest] -= min(sum(per_mille) - 1000, per_mille[widest] - 1)
    return per_mille


def column_widths(frame: pd.DataFrame) -> list[int]:
    """Relative column widths (per mille of the PDF line) from ``table_layout``."""
    return table_layout(frame).widths


# A long listing the PDF keeps whole but small (``compact``): script-size type, rows set closer.
COMPACT_LATEX = "\\scriptsize\\renewcommand{\\arraystretch}{0.8}"


def list_table(
    frame: pd.DataFrame,
    widths: list[int] | None = None,
    *,
    sortable: bool = False,
    caption: str | None = None,
    compact: bool = False,
) -> str:
    """A DataFrame as MyST list-table text with a header row and column widths (see ``markdown_table``)."""
    layout = table_layout(frame, widths)
    lines = [
        "```{list-table}" + (f" {caption}" if caption else ""),
        ":header-rows: 1",
        f":widths: {' '.join(map(str, layout.widths))}",
    ]
    classes = (["longtable"] if len(frame) > 8 else []) + (["sortable"] if sortable else [])
    if classes:
        lines.append(f":class: {' '.join(classes)}")  # longtable lets the PDF break the table across pages
    lines.append("")
    for row in [list(frame.columns), *frame.itertuples(index=False)]:
        cells = [table_text(value) for value in row]
        lines.append(f"* - {cells[0]}")
        lines += [f"  - {cell}" for cell in cells[1:]]
    lines.append("```")
    if layout.font != "normalsize" or compact:  # the PDF sets this table in smaller type; HTML ignores raw LaTeX
        lines = [
            "```{raw} latex",
            "\\begingroup" + (COMPACT_LATEX if compact else f"\\{layout.font}"),
            "```",
            "",
            *lines,
            "",
            "```{raw} latex",
            "\\endgroup",
            "```",
        ]
    return "\n".join(lines)


def markdown_table(
    frame: pd.DataFrame,
    widths: list[int] | None = None,
    *,
    sortable: bool = False,
    caption: str | None = None,
    download: Download | None = None,
    data: pd.DataFrame | None = None,
    compact: bool = False,
    pdf_summary: str | None = None,
) -> Markdown:
    """A DataFrame as a MyST list-table whose PDF columns fit their content.

    ``table_layout`` sets the widths (``widths``, if given, is a preference: no column gets less
    than its longest number or word needs) and, for wide tables, a smaller PDF font.
    ``sortable`` tables get a filter box and click-to-sort headers in the HTML (_static/table-tools.js).
    With ``download`` (a ``downloads.Download``: file name, title, units, source) the table's data
    are saved as CSV, listed on the Data page and linked under the table in the HTML: ``data``
    (unrounded numbers, plain column names) if given, else the table as shown. A ``compact`` table (a long
    listing) is set in script size with its rows closer in the PDF (``COMPACT_LATEX``); the HTML is the same.
    With ``pdf_summary`` the table is the HTML's only: the PDF prints that sentence instead (for listings
    that would fill pages of paper; their CSV holds every row).
    """
    text = list_table(frame, widths, sortable=sortable, caption=caption, compact=compact)
    if download is not None:
        address = downloads.save(frame if data is None else data, download)
        text += "\n\n" + downloads.links_html({"table (CSV)": address})
    if pdf_summary is not None:
        text = f"````{{only}} html\n{text}\n````\n\n````{{only}} latex\n{pdf_summary}\n````"
    return Markdown(text)


def interval(coef: float, low: float, high: float, digits: int | None = None, unit: str = "") -> str:
    """An estimate and its interval as one cell: '-37.9 [-60.2, -15.6]', signs always shown.

    ``digits`` defaults by size: 1 decimal when |coef| >= 5, else 2 (a rate per point and a death rate
    per point read alike). ``unit`` follows the estimate ('%': '+4.1% [-1.0, +9.5]')."""
    places = digits if digits is not None else 1 if abs(coef) >= 5 else 2
    return f"{coef:+.{places}f}{unit} [{low:+.{places}f}, {high:+.{places}f}]"


def estimates_table(
    columns: dict[str, pd.DataFrame],
    rows: dict[str, str],
    row_header: str = "Specification",
    digits: dict[str, int] | None = None,
) -> pd.DataFrame:
    """Estimates side by side, as pyfixest's etable does: ``rows`` (key -> label) down, one column per
    entry of ``columns`` (name -> an estimates frame with key, coef, ci_low, ci_high and years), each
    cell an ``interval``. A row whose years differ from the column's first row's says so; a key a
    column lacks is an empty cell. ``digits`` fixes the decimals of some rows (e.g. Poisson's 3)."""
    table = {row_header: list(rows.values())}
    for name, frame in columns.items():
        indexed, main_years = frame.set_index("key"), frame.iloc[0]["years"]
        table[name] = [
            ""
            if key not in indexed.index
            else interval(
                indexed.loc[key, "coef"],
                indexed.loc[key, "ci_low"],
                indexed.loc[key, "ci_high"],
                (digits or {}).get(key),
            )
            + ("" if indexed.loc[key, "years"] == main_years else f" (years {indexed.loc[key, 'years']})")
            for key in rows
        ]
    return pd.DataFrame(table)
