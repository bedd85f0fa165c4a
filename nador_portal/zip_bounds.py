"""Opening an uploaded zip-based file (XLSX, DOCX, ODT...) without unpacking a zip bomb.

Shared by the coordinators' imports (reports/reading.py) and the attachments of practices and
events (attachments/checks.py); each says the refusal in its own words."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

MAX_ZIP_MEMBERS = 1000
# Office files compress text well, but not 200 times: a file that claims to unpack to more
# than that is a bomb, whatever its size.
MAX_RATIO = 200


@dataclass
class ZipRefused(Exception):
    """Why a zip is refused: "damaged", "members" (`count` parts), "unpacked" (`size` bytes,
    far more than its size) or "limit" (`size` bytes, more than the caller allows)."""

    reason: str
    count: int = 0
    size: int = 0


def open_bounded(content: bytes, max_unpacked: int) -> zipfile.ZipFile:
    """The archive, once the sizes declared in its directory are checked (before anything is
    unpacked), or ZipRefused."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ZipRefused("damaged") from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise ZipRefused("members", count=len(members))
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_RATIO * max(len(content), 1):
        raise ZipRefused("unpacked", size=unpacked)
    if unpacked > max_unpacked:
        raise ZipRefused("limit", size=unpacked)
    return archive
