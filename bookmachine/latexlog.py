"""Check the PDF build's LaTeX log: nothing in a table, and nothing large anywhere, runs off the page.

XeLaTeX writes ``Overfull \\hbox (12.3pt too wide) in paragraph at lines 700--702`` for every line
it could not fit. Those lines are text, numbers or whole tables that stick out of the page or of
their column. This module reads the log, finds each overfull box's place in ``book.tex`` (inside a
table or in body text, which chapter, which PDF page) and sorts them into:

- fatal: anything inside a table more than ``TABLE_LIMIT_PT`` too wide (a clipped number or a
  column off the page), and anything anywhere more than ``ANY_LIMIT_PT`` too wide;
- reported: small body-text overflows (a long URL or code word sticking into the margin).

``check`` returns the fatal message (empty when the PDF is fine); the build raises it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

TABLE_LIMIT_PT = 5.0
ANY_LIMIT_PT = 20.0

OVERFULL = re.compile(
    r"^Overfull \\hbox \((?P<pt>[\d.]+)pt too wide\) "
    r"(?:in (?P<kind>paragraph|alignment) at lines (?P<first>\d+)--(?P<last>\d+)"
    r"|detected at line (?P<line>\d+))"
)
PAGE_SHIPPED = re.compile(r"\[(\d+)(?=[\s\]<{]|$)")
TABLE_BEGIN = re.compile(r"\\begin\{(longtable|tabulary|tabular)\}")
TABLE_END = re.compile(r"\\end\{(longtable|tabulary|tabular)\}")
CHAPTER = re.compile(r"\\chapter\*?\{(.*)\}")
CAPTION = re.compile(r"\\(?:sphinx)?caption\{(.*?)(?:\\strut)?\}")


@dataclass(frozen=True)
class Overflow:
    """One overfull box: how far it sticks out, where (tex line, PDF page) and in what."""

    points: float
    tex_line: int
    page: int
    table: str | None  # the table's caption or header cells; None for body text
    chapter: str
    table_line: int | None = None  # book.tex line where the table begins

    @property
    def fatal(self) -> bool:
        return self.points > ANY_LIMIT_PT or (self.table is not None and self.points > TABLE_LIMIT_PT)

    def describe(self) -> str:
        where = f"table {self.table}" if self.table is not None else "body text"
        return (
            f"{self.points:.1f} pt too wide: {where} in chapter {self.chapter!r}, "
            f"near PDF page {self.page} (book.tex line {self.tex_line})"
        )


def overfull_boxes(log_text: str) -> list[tuple[float, int, int]]:
    """(points too wide, book.tex line, physical PDF page) of every overfull \\hbox in a LaTeX log.

    The page is counted from the ``[n`` marks LaTeX prints when it ships a page out: a box is
    reported before its page ships, so it lies on the page after the last mark. Box dumps (the
    lines after an Overfull/Underfull message, up to a blank line) are skipped: their text can
    look like page marks.
    """
    boxes, shipped, in_dump = [], 0, False
    for line in log_text.splitlines():
        if in_dump:
            in_dump = bool(line.strip())
            continue
        match = OVERFULL.match(line)
        if match:
            tex_line = int(match["last"] or match["line"])
            boxes.append((float(match["pt"]), tex_line, shipped + 1))
            in_dump = True
            continue
        if line.startswith(("Underfull", "Overfull")):
            in_dump = True
            continue
        shipped += len(PAGE_SHIPPED.findall(line))
    return boxes


def _plain(latex: str) -> str:
    """Readable text of a bit of Sphinx LaTeX (commands and braces dropped)."""
    text = latex.replace("\\sphinxhyphen{}", "-")
    text = re.sub(
        r"\\(sphinxstyletheadfamily|sphinxAtStartPar|sphinxstylestrong|sphinxcode|sphinxupquote"
        r"|textbf|emph|sphinxstyleemphasis|sphinxhref\{[^}]*\})",
        "",
        text,
    )
    text = re.sub(r"\\([%$&_#{}])", r"\1", text)
    text = re.sub(r"[{}]|\\[a-zA-Z]+\*?", "", text)
    return " ".join(text.split())


def table_name(tex_lines: list[str], begin: int) -> str:
    """A table's caption, else its header cells, from the lines after its \\begin (0-based index)."""
    start = next((i for i in range(begin, min(begin + 40, len(tex_lines))) if "\\sphinxtoprule" in tex_lines[i]), begin)
    opening = next((i for i in range(begin, max(begin - 30, -1), -1) if "\\begin{savenotes}" in tex_lines[i]), begin)
    for line in tex_lines[opening:start]:  # tabular captions come before \begin, longtable ones after
        caption = CAPTION.search(line)
        if caption:
            return repr(_plain(caption[1]))
    header = []
    for line in tex_lines[start + 1 : start + 80]:
        if "\\sphinxmidrule" in line or "\\endfirsthead" in line or "\\\\" in line:
            break
        header.append(line)
    cells = [_plain(cell) for cell in "\n".join(header).split("&")]
    return "with header " + " | ".join(cell for cell in cells if cell)[:120]


def places(tex_lines: list[str]) -> list[tuple[int | None, str]]:
    """For each book.tex line: (0-based line of the enclosing table's \\begin or None, chapter title).

    A table's \\end line still belongs to it: tabulary reports its cells at that line.
    """
    result, chapter, table_begin = [], "front matter", None
    for index, text in enumerate(tex_lines):
        heading = CHAPTER.search(text)
        if heading:
            chapter = _plain(heading[1])
        if TABLE_BEGIN.search(text):
            table_begin = index
        result.append((table_begin, chapter))
        if TABLE_END.search(text):
            table_begin = None
    return result


def overflows(log_text: str, tex_text: str) -> list[Overflow]:
    """Every overfull box of the log, placed in book.tex."""
    tex_lines = tex_text.splitlines()
    context = places(tex_lines)
    found = []
    for points, tex_line, page in overfull_boxes(log_text):
        table_begin, chapter = context[min(tex_line, len(context)) - 1] if context else (None, "?")
        table = table_name(tex_lines, table_begin) if table_begin is not None else None
        found.append(
            Overflow(points, tex_line, page, table, chapter, table_begin + 1 if table_begin is not None else None)
        )
    return found


def summary(found: list[Overflow]) -> str:
    """One line: how many overfull boxes, in tables and in body text, and the widest."""
    in_tables = [o for o in found if o.table is not None]
    widest = max((o.points for o in found), default=0.0)
    return (
        f"{len(found)} overfull boxes ({len(in_tables)} in tables, {len(found) - len(in_tables)} in body text), "
        f"widest {widest:.1f} pt"
    )


def check(log_file: Path, report=print) -> str:
    """Read the build's LaTeX log (book.tex beside it); report small overflows, return the fatal ones.

    Returns an empty string when no table has anything more than TABLE_LIMIT_PT too wide and
    nothing anywhere is more than ANY_LIMIT_PT too wide; otherwise a message naming each table
    or page (one line per table or body line, its widest box), for the build to stop with.
    """
    log_file = Path(log_file)
    found = overflows(
        log_file.read_text(encoding="utf-8", errors="replace"),
        log_file.with_suffix(".tex").read_text(encoding="utf-8", errors="replace"),
    )
    report(f"LaTeX log: {summary(found)}")
    fatal, seen = [], set()
    for overflow in sorted(found, key=lambda o: -o.points):
        place = overflow.table_line or overflow.tex_line  # each table, or each body line, once
        if place in seen:
            continue
        seen.add(place)
        if overflow.fatal:
            fatal.append(overflow.describe())
        else:
            report(f"  reported (not fatal): {overflow.describe()}")
    if not fatal:
        return ""
    return (
        f"the PDF has content running off the page or out of its table column ({log_file}):\n  "
        + "\n  ".join(fatal)
        + f"\nTables may not overflow by more than {TABLE_LIMIT_PT:g} pt, nothing by more than "
        f"{ANY_LIMIT_PT:g} pt. Table column widths come from analysis.book.tables.table_layout."
    )
