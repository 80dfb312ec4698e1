"""The build's check of its own PDF: overflowing tables fail, naming the table; small body overflow is reported."""

from __future__ import annotations

from bookmachine import latexlog

TEX = r"""\chapter{The federal drug budget}
Some text.
\begin{longtable}{\X{100}{1000}\X{900}{1000}}
\sphinxtoprule
\sphinxstyletheadfamily 
\sphinxAtStartPar
FY
&\sphinxstyletheadfamily 
\sphinxAtStartPar
Unit
\\
\sphinxmidrule
\sphinxAtStartPar 2024 & USD billion\\
\end{longtable}
\chapter{Reproducibility}
Official page: \sphinxurl{https://data.cdc.gov/a/very/long/address}
\begin{savenotes}\sphinxattablestart
\sphinxcaption{Numbers computed on page budget}
\begin{tabular}[t]{\X{1}{2}\X{1}{2}}
\sphinxtoprule
Key & Value\\
\end{tabular}
"""


def box(points: float, line: int, kind: str = "paragraph") -> str:
    """An overfull-box message as XeLaTeX writes it, with its box dump and blank line."""
    return (
        f"Overfull \\hbox ({points}pt too wide) in {kind} at lines {line}--{line}\n"
        f"[]|\\TU/FreeSerif(0)/m/n/10.95 [2024| \n []\n\n"
    )


def run_check(tmp_path, log: str) -> tuple[str, list[str]]:
    (tmp_path / "book.tex").write_text(TEX)
    (tmp_path / "book.log").write_text(log)
    reported: list[str] = []
    return latexlog.check(tmp_path / "book.log", report=reported.append), reported


def test_overflowing_table_fails_naming_its_header_chapter_and_page(tmp_path):
    fatal, _ = run_check(tmp_path, "[1] [2\n]\n" + box(13.9, 13))
    assert "13.9 pt too wide: table with header FY | Unit in chapter 'The federal drug budget'" in fatal
    assert "PDF page 3" in fatal and "book.tex line 13" in fatal


def test_a_table_is_named_by_its_caption_and_its_end_line_belongs_to_it(tmp_path):
    fatal, _ = run_check(tmp_path, box(6.0, 23, "alignment"))
    assert "table 'Numbers computed on page budget' in chapter 'Reproducibility'" in fatal


def test_small_body_overflow_is_reported_not_fatal(tmp_path):
    fatal, reported = run_check(tmp_path, box(12.5, 16) + box(4.0, 13))
    assert fatal == ""
    assert reported[0] == "LaTeX log: 2 overfull boxes (1 in tables, 1 in body text), widest 12.5 pt"
    assert any("12.5 pt too wide: body text in chapter 'Reproducibility'" in line for line in reported)
    assert any("4.0 pt too wide: table with header FY | Unit" in line for line in reported)


def test_large_body_overflow_is_fatal(tmp_path):
    fatal, _ = run_check(tmp_path, box(25.0, 16))
    assert "25.0 pt too wide: body text in chapter 'Reproducibility'" in fatal


def test_box_dumps_are_not_counted_as_pages():
    log = "[1]\n" + box(1.0, 2) + "[2 <./figure.png>]\n" + box(2.0, 2)
    assert latexlog.overfull_boxes(log) == [(1.0, 2, 2), (2.0, 2, 3)]


def test_a_clean_log_passes(tmp_path):
    fatal, reported = run_check(tmp_path, "[1] [2]\nOutput written on book.pdf (2 pages).\n")
    assert fatal == "" and reported == ["LaTeX log: 0 overfull boxes (0 in tables, 0 in body text), widest 0.0 pt"]
