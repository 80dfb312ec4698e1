"""Read the cell values of .xlsx workbooks: the one reader for every workbook the book reads.

It reads the workbook's XML directly. openpyxl parses the whole stylesheet first, which takes
seconds for ONDCP's 181-sheet Data Supplement, to read two small tables. Values are what the
file stores, typed as openpyxl (data only) types them: a number written without a decimal point
or an exponent is an int, any other number a float, and a number in a date or time format a
datetime, time or timedelta; text is str (shared or inline), a boolean is bool, an error is its
text ('#N/A'); a formula counts by its cached result, and a formula saved without one is blank
(None), as a spreadsheet program that has not recalculated shows it.
"""

from __future__ import annotations

import datetime
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from analysis.errors import DataError

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# Excel's built-in number formats that show a date or time (the others show numbers).
BUILTIN_DATE_FORMATS = {
    14: "mm-dd-yy",
    15: "d-mmm-yy",
    16: "d-mmm",
    17: "mmm-yy",
    18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM",
    20: "h:mm",
    21: "h:mm:ss",
    22: "m/d/yy h:mm",
    45: "mm:ss",
    46: "[h]:mm:ss",
    47: "mmss.0",
}
# A format is a date or time when a d, m, h, y or s is left after quoted text and bracketed locale
# or colour codes are removed (openpyxl's rule); a duration when it counts elapsed [h], [m] or [s].
FORMAT_LITERALS = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
DATE_PART = re.compile(r"(?<![_\\])[dmhysDMHYS]")
DURATION = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.IGNORECASE)
EPOCHS = {False: datetime.datetime(1899, 12, 30), True: datetime.datetime(1904, 1, 1)}


def read_sheets(path: Path, sheets: list[str]) -> dict[str, list[tuple]]:
    """The non-empty rows of each named sheet, every row padded with None to the sheet's widest row.

    The workbook is opened once for all the sheets. A sheet that is not in the workbook, or a file
    that is not a readable workbook, is a DataError naming the file.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            dates, durations = _time_styles(archive)
            cells = _Cells(_shared_strings(archive), dates=dates, durations=durations, epoch=_epoch(archive))
            found = {
                name: _sheet_rows(ElementTree.fromstring(archive.read(member)), cells)
                for name, member in _sheet_members(archive).items()
                if name in sheets
            }
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, ValueError) as exc:
        raise DataError(path, f"cannot open as an .xlsx workbook ({type(exc).__name__}: {exc})") from None
    missing = [sheet for sheet in sheets if sheet not in found]
    if missing:
        raise DataError(path, f"sheet {missing[0]!r} not found", expected=f"a sheet named {missing[0]!r}")
    return {sheet: found[sheet] for sheet in sheets}


def read_sheet(path: Path, sheet: str) -> list[tuple]:
    """The non-empty rows of one sheet (see ``read_sheets``)."""
    return read_sheets(path, [sheet])[sheet]


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    """The workbook's shared strings; a rich-text string is the text of its runs (phonetic hints left out)."""
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    root = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
    return [_text(item) for item in root.iter(MAIN + "si")]


def _text(element) -> str:
    """The text of a string item or inline string: its own <t>, or the <t> of each rich-text run."""
    plain = element.find(MAIN + "t")
    if plain is not None:
        return plain.text or ""
    return "".join(run.findtext(MAIN + "t") or "" for run in element.iter(MAIN + "r"))


def _sheet_members(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the archive member holding its XML, in workbook order."""
    relationships = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in relationships.iter(PACKAGE + "Relationship")}
    members = {}
    for sheet in ElementTree.fromstring(archive.read("xl/workbook.xml")).iter(MAIN + "sheet"):
        target = targets[sheet.get(RELATIONSHIP + "id")].lstrip("/")
        members[sheet.get("name")] = target if target.startswith("xl/") else "xl/" + target
    return members


def _column_index(reference: str) -> int:
    """'C12' -> 2 (zero-based column of a cell reference)."""
    index = 0
    for letter in reference.rstrip("0123456789"):
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def _epoch(archive: zipfile.ZipFile) -> datetime.datetime:
    """Day zero of the workbook's date serials (1899-12-30, or 1904-01-01 for a 1904-system workbook)."""
    properties = ElementTree.fromstring(archive.read("xl/workbook.xml")).find(MAIN + "workbookPr")
    return EPOCHS[properties is not None and properties.get("date1904") in ("1", "true")]


def _time_styles(archive: zipfile.ZipFile) -> tuple[frozenset[int], frozenset[int]]:
    """The cell styles (indices into cellXfs) whose number format shows a date or time, and those of them
    that show a duration."""
    if "xl/styles.xml" not in archive.namelist():
        return frozenset(), frozenset()
    root = ElementTree.fromstring(archive.read("xl/styles.xml"))
    formats = dict(BUILTIN_DATE_FORMATS)
    formats.update({int(item.get("numFmtId")): item.get("formatCode") or "" for item in root.iter(MAIN + "numFmt")})
    cell_formats = root.find(MAIN + "cellXfs")
    codes = [formats.get(int(xf.get("numFmtId", 0))) for xf in (cell_formats if cell_formats is not None else [])]
    dates = {
        i
        for i, code in enumerate(codes)
        if code is not None and DATE_PART.search(FORMAT_LITERALS.sub("", code.split(";")[0]))
    }
    return frozenset(dates), frozenset(i for i in dates if DURATION.match(codes[i].split(";")[0]))


def _number(text: str) -> int | float:
    """A stored number as openpyxl reads it: int unless written with a decimal point or an exponent."""
    return float(text) if any(mark in text for mark in ".eE") else int(text)


def _from_serial(serial: float, epoch: datetime.datetime, duration: bool):
    """A date serial as openpyxl converts it: timedelta for a duration, time for a fraction of a day,
    else datetime (to the millisecond; serials below 60 are shifted by Excel's phantom 29 February 1900)."""
    if duration:
        return datetime.timedelta(days=serial)
    day, fraction = divmod(serial, 1)
    clock = datetime.timedelta(milliseconds=round(fraction * 86_400_000))
    if 0 <= serial < 1 and clock.days == 0:
        return (datetime.datetime.min + clock).time()
    if 0 < serial < 60 and epoch == EPOCHS[False]:
        day += 1
    return epoch + datetime.timedelta(days=day) + clock


class _Cells:
    """What a cell's value needs from the rest of the workbook: shared strings, date styles, epoch."""

    def __init__(
        self, strings: list[str], *, dates: frozenset[int], durations: frozenset[int], epoch: datetime.datetime
    ):
        self.strings, self.dates, self.durations, self.epoch = strings, dates, durations, epoch

    def value(self, cell):
        """One <c> element's value (None when it has none)."""
        kind, value = cell.get("t"), cell.find(MAIN + "v")
        if kind == "inlineStr":
            inline = cell.find(MAIN + "is")
            return _text(inline) if inline is not None else None
        if value is None or value.text is None:
            return None
        if kind == "s":
            return self.strings[int(value.text)]
        if kind in ("str", "e"):
            return value.text
        if kind == "b":
            return bool(int(value.text))
        if kind == "d":
            return datetime.datetime.fromisoformat(value.text)
        number = _number(value.text)
        style = int(cell.get("s", 0))
        return _from_serial(number, self.epoch, style in self.durations) if style in self.dates else number


def _sheet_rows(root, cells: _Cells) -> list[tuple]:
    """A worksheet's non-empty rows, each value placed by its column letter, padded to the widest row."""
    rows = []
    for row in root.iter(MAIN + "row"):
        values = {}
        for position, cell in enumerate(row.iter(MAIN + "c")):
            value = cells.value(cell)
            if value is not None:
                values[_column_index(cell.get("r")) if cell.get("r") else position] = value
        if values:
            rows.append(values)
    width = max((max(values) + 1 for values in rows), default=0)
    return [tuple(values.get(column) for column in range(width)) for values in rows]
