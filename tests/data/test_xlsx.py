"""The one .xlsx reader: every kind of cell on a hand-written workbook, errors, and the real workbooks
read exactly as openpyxl reads them."""

from __future__ import annotations

import datetime
import warnings
import zipfile

import pytest

from analysis.data import catalog, xlsx
from analysis.errors import DataError

MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RELATIONSHIPS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
SHEET = f"""<worksheet {MAIN}><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><t>inline</t></is></c></row>
<row r="2"><c r="A2"/></row>
<row r="4"><c r="A4"><v>2017</v></c><c r="B4"><v>2.5</v></c><c r="C4"><v>1E3</v></c><c r="D4" t="b"><v>1</v></c>
  <c r="E4" t="e"><v>#N/A</v></c><c r="F4" t="str"><f>A1</f><v>cached</v></c><c r="G4"><f>SUM(A4:B4)</f></c></row>
<row r="5"><c r="B5" s="1"><v>43831</v></c><c r="C5" s="2"><v>43831.5</v></c><c r="D5" s="3"><v>0.25</v></c>
  <c r="E5" s="4"><v>1.5</v></c><c r="F5" t="s"><v>1</v></c></row>
</sheetData></worksheet>"""
STYLES = f"""<styleSheet {MAIN}><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd h:mm"/>
<numFmt numFmtId="165" formatCode="[h]:mm:ss"/></numFmts>
<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="21"/>
<xf numFmtId="165"/></cellXfs>
</styleSheet>"""
STRINGS = f"""<sst {MAIN}><si><t>Year</t></si>
<si><r><t>rich </t></r><r><t>text</t></r><rPh><t>hint</t></rPh></si></sst>"""


def handwritten_workbook(path):
    """A workbook written member by member, so each kind of cell is exactly what Excel stores."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "xl/workbook.xml",
            f"<workbook {MAIN} {RELATIONSHIPS}><sheets>"
            f'<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        archive.writestr("xl/worksheets/sheet1.xml", SHEET)
        archive.writestr("xl/sharedStrings.xml", STRINGS)
        archive.writestr("xl/styles.xml", STYLES)
    return path


def test_every_kind_of_cell_is_read_as_stored(tmp_path):
    rows = xlsx.read_sheet(handwritten_workbook(tmp_path / "book.xlsx"), "Data")
    assert rows == [
        ("Year", None, "inline", None, None, None),  # row 2 is empty and row 3 absent: both skipped
        (2017, 2.5, 1000.0, True, "#N/A", "cached"),  # a formula without a cached value (G4) is blank
        (
            None,
            datetime.datetime(2020, 1, 1),
            datetime.datetime(2020, 1, 1, 12),
            datetime.time(6),
            datetime.timedelta(days=1.5),
            "rich text",
        ),
    ]  # rows padded to the widest (F)
    assert [type(value) for value in rows[1][:3]] == [int, float, float]


def test_a_missing_sheet_and_a_file_that_is_no_workbook_are_refused(tmp_path):
    path = handwritten_workbook(tmp_path / "book.xlsx")
    with pytest.raises(DataError, match="sheet 'Other' not found") as error:
        xlsx.read_sheets(path, ["Data", "Other"])
    assert "book.xlsx" in str(error.value)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK not really")
    with pytest.raises(DataError, match="cannot open as an .xlsx workbook"):
        xlsx.read_sheet(broken, "Data")


@pytest.mark.parametrize("file_id", ["ndcs-data-supplement-2020-february", "ohss-khsm-encounters-usbp-fy25m11"])
def test_the_real_workbooks_read_as_openpyxl_reads_them(real_data, file_id):
    """Every non-empty row of every sheet: the same values of the same types (openpyxl pads rows to the
    sheet's declared width, so trailing blanks are left out of the comparison)."""
    import openpyxl

    path = catalog.path(file_id)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # openpyxl cannot parse some page headers
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            expected = {
                name: [
                    tuple(row)
                    for row in workbook[name].iter_rows(values_only=True)
                    if any(cell is not None for cell in row)
                ]
                for name in workbook.sheetnames
            }
        finally:
            workbook.close()
    found = xlsx.read_sheets(path, list(expected))

    def typed(rows):
        trimmed = [list(row) for row in rows]
        for row in trimmed:
            while row and row[-1] is None:
                row.pop()
        return [[(type(value).__name__, value) for value in row] for row in trimmed]

    assert len(expected) > 10
    assert {name: typed(rows) for name, rows in found.items()} == {name: typed(rows) for name, rows in expected.items()}
