"""Reading an uploaded CSV or XLSX safely, before any of it is checked or imported.

Size, kind (the bytes, not the name), encoding, the unpacked size and parts of an XLSX (a
small file may unpack to gigabytes), the number of rows and the header's columns and names
are all bounded here, so that a hostile file is refused in one sentence before anything is
built from it.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from nador_portal.zip_bounds import ZipRefused, open_bounded

# A hostile header (800,000 repeated or unknown columns) is refused before anything is built
# from it: the portal's own sheets have fewer than 60 columns with names under 40 characters.
MAX_COLUMNS = 200
MAX_HEADER_CHARS = 100


def max_bytes() -> int:
    return settings.IMPORT_MAX_BYTES


def max_rows() -> int:
    return settings.IMPORT_MAX_ROWS


def max_unpacked_bytes() -> int:
    return settings.IMPORT_MAX_UNPACKED_BYTES


def too_big(size: int) -> str:
    """Which limit, and how to split: into files of as many rows as the size allows."""
    return _(
        "The file is %(size)s MB; the limit is %(limit)s MB. Split it into files of at most "
        "%(rows)d rows."
    ) % {
        "size": round(size / 2**20, 1),
        "limit": round(max_bytes() / 2**20, 1),
        "rows": rows_in(max_bytes()),
    }


def rows_in(size: int) -> int:
    """The rows of the portal's own export that a file of `size` bytes holds at most."""
    return max(1, min(max_rows(), size // settings.IMPORT_ROW_BYTES))


class ImportFileError(Exception):
    """The file cannot be read as a spreadsheet of this type; nothing was written."""


def not_a_spreadsheet() -> ImportFileError:
    return ImportFileError(
        _("This is not a spreadsheet the portal can read: upload a CSV (UTF-8) or XLSX file.")
    )


@dataclass
class Sheet:
    headers: list[str]
    rows: list[list]
    row_numbers: list[int]


def read_sheet(content: bytes | BinaryIO, filename: str) -> Sheet:
    """The header and rows of an uploaded CSV or XLSX, or ImportFileError. `content` is
    the file's bytes or the file itself (read from its start): a CSV file is read a chunk
    at a time, so that only its rows are held, not also its bytes."""
    file = io.BytesIO(content) if isinstance(content, bytes | bytearray) else content
    file.seek(0, io.SEEK_END)
    size = file.tell()
    file.seek(0)
    if size > max_bytes():
        raise ImportFileError(too_big(size))
    if _blank(file):
        raise ImportFileError(_("The file is empty."))
    name = filename.lower()
    head = file.read(4096)
    file.seek(0)
    if head.startswith(b"PK\x03\x04"):
        return _read_xlsx(file.read())
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _read_utf16(file.read())
    if looks_like_utf16(head):
        raise ImportFileError(
            _(
                "This file is in UTF-16 without a byte order mark: save it as “CSV UTF-8” "
                "and upload it again."
            )
        )
    if name.endswith((".xlsx", ".xls", ".ods", ".zip")) or b"\x00" in head:
        raise not_a_spreadsheet()
    return _read_csv(file)


def _blank(file: BinaryIO) -> bool:
    """Whether the file holds nothing but white space, read a chunk at a time."""
    blank = True
    while blank and (chunk := file.read(DECODE_CHUNK)):
        blank = chunk.isspace()
    file.seek(0)
    return blank


def _check_row_count(count: int) -> None:
    if count > max_rows():
        raise ImportFileError(
            _("The file has more than %(limit)d rows; split it into files of at most %(limit)d.")
            % {"limit": max_rows()}
        )


def _check_column_count(count: int) -> None:
    if count > MAX_COLUMNS:
        raise ImportFileError(
            _(
                "The header row has %(count)d columns; a sheet of the portal has at most "
                "%(limit)d. Keep only the columns of the import template."
            )
            % {"count": count, "limit": MAX_COLUMNS}
        )


def _check_header(headers: list[str]) -> None:
    _check_column_count(len(headers))
    for number, header in enumerate(headers, start=1):
        if len(header) > MAX_HEADER_CHARS:
            raise ImportFileError(
                _(
                    "The name of column %(number)d has %(length)d characters; column names "
                    "have at most %(limit)d. Use the names of the import template."
                )
                % {"number": number, "length": len(header), "limit": MAX_HEADER_CHARS}
            )


def looks_like_utf16(content: bytes) -> bool:
    """Text in UTF-16 has a NUL byte beside each Latin letter: at every even or every
    odd place of its start."""
    start = content[:200]
    even, odd = start[0::2], start[1::2]
    return len(start) >= 4 and any(
        not nuls.strip(b"\x00") and b"\x00" not in text for nuls, text in ((even, odd), (odd, even))
    )


def _read_utf16(content: bytes) -> Sheet:
    """Spreadsheet programs write "Unicode text" in UTF-16 with a byte order mark."""
    try:
        text = content.decode("utf-16")
    except UnicodeDecodeError:
        raise not_a_spreadsheet() from None
    return _read_csv_text(text)


def _read_csv(file: BinaryIO) -> Sheet:
    return _read_csv_lines(_utf8_lines(file))


def _read_csv_text(text: str) -> Sheet:
    return _read_csv_lines(io.StringIO(text, newline=""))


#: A CSV is decoded this many bytes at a time (up to the end of a line): a whole file
#: decoded at once, then split into lines by io.StringIO, costs up to four bytes per
#: character of the file (io.StringIO keeps UCS-4), on top of the file itself.
DECODE_CHUNK = 1 << 20


def _utf8_lines(file: BinaryIO):
    """The lines of a UTF-8 file, as io.StringIO(text, newline="") gives them, read and
    decoded a chunk at a time. A chunk is cut after a newline byte, which is never part
    of a longer UTF-8 sequence, so an unreadable byte's position is the one a decoding of
    the whole file would give (counted after the byte order mark, as "utf-8-sig" does)."""
    offset, rest = 0, file.read(len(codecs.BOM_UTF8))
    if rest == codecs.BOM_UTF8:
        rest = b""
    while True:
        block = file.read(DECODE_CHUNK)
        data = rest + block if rest else block
        cut = data.rfind(b"\n") + 1 if block else len(data)
        if not cut and block:
            rest = data  # no end of line yet: read on
            continue
        piece, rest = data[:cut], data[cut:]
        del data
        try:
            text = str(piece, "utf-8")
        except UnicodeDecodeError as error:
            raise ImportFileError(
                _(
                    "The file is not encoded in UTF-8 (unreadable byte at position "
                    "%(position)d). Save it as “CSV UTF-8” and upload it again."
                )
                % {"position": offset + error.start}
            ) from None
        del piece
        # io.StringIO splits in C, and only a chunk's text at a time is held (UCS-4).
        yield from io.StringIO(text, newline="")
        offset += cut
        if not block:
            return


def _read_csv_lines(lines) -> Sheet:
    lines = iter(lines)
    header = next(lines, "")
    # The header decides the separator: a comma, or the semicolon or tab that spreadsheet
    # programs write in some languages.
    delimiter = max(",;\t", key=header.count)
    _check_column_count(header.count(delimiter) + 1)
    reader = csv.reader(itertools.chain([header], lines), delimiter=delimiter)
    try:
        return _sheet(reader, typed=False)
    except csv.Error as error:
        raise ImportFileError(
            _("The CSV file is malformed: %(error)s.") % {"error": error}
        ) from None


def _read_xlsx(content: bytes) -> Sheet:
    try:
        archive = open_bounded(content, max_unpacked_bytes())
    except ZipRefused as refused:
        raise _zip_refusal(refused) from None
    if "xl/workbook.xml" not in archive.namelist():
        raise not_a_spreadsheet()
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            # One column more than allowed is enough to refuse a sheet with too many.
            rows = workbook.worksheets[0].iter_rows(values_only=True, max_col=MAX_COLUMNS + 1)
            return _sheet(rows)
        finally:
            workbook.close()
    except ImportFileError:
        raise
    except Exception:  # openpyxl raises many kinds of errors on a damaged file
        raise ImportFileError(
            _("This is not a spreadsheet the portal can read: the XLSX file is damaged.")
        ) from None


def _zip_refusal(refused: ZipRefused) -> ImportFileError:
    if refused.reason == "members":
        return ImportFileError(
            _("The XLSX file holds %(count)d parts, far more than a spreadsheet: it is refused.")
            % {"count": refused.count}
        )
    if refused.reason == "limit":
        return ImportFileError(
            _(
                "The XLSX file unpacks to %(size)s MB; the limit is %(limit)s MB. Split it "
                "into files of at most %(rows)d rows, or save it as CSV."
            )
            % {
                "size": round(refused.size / 2**20, 1),
                "limit": round(max_unpacked_bytes() / 2**20, 1),
                "rows": rows_in(max_unpacked_bytes() // 2),
            }
        )
    if refused.reason == "unpacked":
        return ImportFileError(
            _(
                "The XLSX file unpacks to %(size)s MB, far more than a spreadsheet of its size "
                "should: it is refused. Save the sheet again or as CSV."
            )
            % {"size": round(refused.size / 2**20, 1)}
        )
    return ImportFileError(
        _("This is not a spreadsheet the portal can read: the XLSX file is damaged.")
    )


def _cell(value):
    """A cell as text, except dates and numbers typed in a spreadsheet, which the
    Resource's widgets read natively (17.0 becomes 17)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str | int | float | date):
        return value
    return str(value)


def _sheet(rows, typed: bool = True) -> Sheet:
    """The sheet of these rows: cells a spreadsheet typed go through _cell(); a CSV's are
    all texts already, and its reader's lists are the rows' own."""
    iterator = iter(rows)
    headers = None
    data, numbers = [], []
    for number, row in enumerate(iterator, start=1):
        cells = [_cell(value) for value in row] if typed else row
        if headers is None:
            headers = [str(cell).strip() for cell in cells]
            while headers and headers[-1] == "":
                headers.pop()
            _check_header(headers)
            continue
        if not any(str(cell).strip() for cell in cells):
            continue  # blank line
        _check_row_count(len(data) + 1)
        if len(cells) != len(headers):
            cells = (cells + [""] * len(headers))[: len(headers)]
        data.append(cells)
        numbers.append(number)
    if not headers:
        raise ImportFileError(_("The file has no header row."))
    return Sheet(headers, data, numbers)
