"""An XLSX workbook of one sheet, written row by row as the bytes of a stream.

openpyxl, even in write-only mode, builds the whole sheet before the zip can be closed,
so a download of 16,000 rows sent its first byte after 9 s and one of 100,000 rows passed
the worker's timeout. An XLSX file is a zip of a few XML parts; Python's zipfile writes
to a stream it cannot seek by following each entry with a data descriptor (its sizes and
checksum), so the sheet's XML is compressed and sent as its rows are read, and only a
row's worth of text is held at a time. The sheet is minimal SpreadsheetML: cells are
inline strings (no shared-strings table, which would have to be complete before the
sheet) or numbers, which openpyxl, LibreOffice and Excel read, and so does the import.

stream-zip (PyPI) does the same for the zip; the standard library is enough and adds no
dependency.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from itertools import chain
from xml.sax.saxutils import escape, quoteattr

#: Bytes of sheet XML gathered before they are compressed and handed on.
PIECE_BYTES = 64 * 1024
#: zlib's fastest level: an export is read once, and its time is the reader's wait.
COMPRESS_LEVEL = 1

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_CONTENT_TYPES = (
    _HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.styles+xml"/></Types>'
)
_ROOT_RELS = (
    _HEAD + f'<Relationships xmlns="{_PACKAGE_REL}"><Relationship Id="rId1" '
    f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK_RELS = (
    _HEAD + f'<Relationships xmlns="{_PACKAGE_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/></Relationships>'
)
_STYLES = (
    _HEAD + f'<styleSheet xmlns="{_MAIN}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '</cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" '
    'xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" '
    'builtinId="0"/></cellStyles></styleSheet>'
)
_SHEET_START = (_HEAD + f'<worksheet xmlns="{_MAIN}"><sheetData>').encode()
_SHEET_END = b"</sheetData></worksheet>"
# Characters a sheet's name may not hold (Excel's rule).
_NOT_IN_TITLE = re.compile(r"[\[\]:*?/\\]")


def _workbook(title: str) -> str:
    name = _NOT_IN_TITLE.sub("_", title)[:31] or "Sheet1"
    return (
        _HEAD + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
        f'<sheet name={quoteattr(name)} sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def column_letters(index: int) -> str:
    """A, B, ... Z, AA, ...: the letters of the column at `index` (from 0)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _cell(reference: str, value) -> str:
    if value is None or value == "":
        # An empty cell still written, so that a reader sees every row as wide as the header.
        return f'<c r="{reference}"/>'
    if isinstance(value, bool):
        return f'<c r="{reference}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float | Decimal):
        return f'<c r="{reference}"><v>{value}</v></c>'
    return (
        f'<c r="{reference}" t="inlineStr"><is><t xml:space="preserve">'
        f"{escape(str(value))}</t></is></c>"
    )


class _Sink:
    """The zip's output: bytes kept until the generator hands them on."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        return None

    def drain(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def xlsx_chunks(headers: list[str], data: Iterable[list], title: str = "Export") -> Iterator[bytes]:
    """The bytes of a workbook whose one sheet holds `headers` then the rows of `data`,
    in pieces of about PIECE_BYTES of XML compressed. Cells must already be clean
    (reports.exports.spreadsheet_cell: no control characters, formulas neutralised)."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _workbook(title))
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", _STYLES)
        yield sink.drain()
        # The sheet's size is unknown until its end: zip64 sizes, in case it passes 4 GB.
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(_SHEET_START)
            yield from _sheet_rows(sheet, sink, chain([headers], data))
            sheet.write(_SHEET_END)
    yield sink.drain()


def _sheet_rows(sheet, sink: _Sink, rows: Iterable[list]) -> Iterator[bytes]:
    letters: list[str] = []
    pending: list[str] = []
    size = 0
    for number, row in enumerate(rows, start=1):
        while len(letters) < len(row):
            letters.append(column_letters(len(letters)))
        cells = "".join(_cell(f"{letters[i]}{number}", value) for i, value in enumerate(row))
        line = f'<row r="{number}">{cells}</row>'
        pending.append(line)
        size += len(line)
        if size >= PIECE_BYTES:
            sheet.write("".join(pending).encode())
            pending, size = [], 0
            if chunk := sink.drain():
                yield chunk
    if pending:
        sheet.write("".join(pending).encode())
