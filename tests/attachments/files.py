"""Small files built in code for the attachments' tests: images with GPS positions, office
files, and the hostile ones (a renamed executable, polyglots, bombs)."""

from __future__ import annotations

import io
import os
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

NADOR = ((35.0, 10.0, 6.0), (2.0, 55.0, 44.0))  # degrees, minutes, seconds


def image_bytes(kind: str = "PNG", size=(80, 60), gps: bool = False, orientation=None) -> bytes:
    image = Image.new("RGB", size, (200, 40, 40))
    image.putpixel((0, 0), (0, 0, 255))  # marks the top-left corner
    exif = Image.Exif()
    if gps:
        info = exif.get_ifd(ExifTags.IFD.GPSInfo)
        info[ExifTags.GPS.GPSLatitudeRef] = "N"
        info[ExifTags.GPS.GPSLatitude] = NADOR[0]
        info[ExifTags.GPS.GPSLongitudeRef] = "W"
        info[ExifTags.GPS.GPSLongitude] = NADOR[1]
        exif[ExifTags.Base.Make] = "Phone"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    output = io.BytesIO()
    image.save(output, kind, exif=exif)
    return output.getvalue()


def has_exif(content: bytes) -> bool:
    image = Image.open(io.BytesIO(content))
    exif = image.getexif()
    return bool(exif) or bool(exif.get_ifd(ExifTags.IFD.GPSInfo)) or "exif" in image.info


def office_bytes(part: str = "word/document.xml", body: bytes = b"<w:document/>") -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b'<?xml version="1.0"?><Types/>')
        archive.writestr(part, body)
    return output.getvalue()


def docx_bytes() -> bytes:
    return office_bytes()


def zip_bomb_docx() -> bytes:
    """20 MB of zeros packed into some 20 kB, named like a Word document."""
    return office_bytes(body=b"\x00" * (20 * 2**20))


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def with_zip_appended(content: bytes) -> bytes:
    """A polyglot: the file, and a zip archive after it (what unzip and browsers read)."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("payload.html", b"<script>alert(1)</script>")
    return content + output.getvalue()


def noise_png(side: int) -> bytes:
    """A PNG that does not compress: random pixels, some 3 bytes each."""
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    output = io.BytesIO()
    image.save(output, "PNG")
    return output.getvalue()


def decompression_bomb() -> bytes:
    """144 million pixels of one colour: a few kilobytes that decode to hundreds of MB."""
    output = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(output, "PNG")
    return output.getvalue()


def upload(content: bytes, name: str, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def make_document(record, title: str = "Final report"):
    from attachments.forms import DocumentForm

    form = DocumentForm({"title": title, "language": "en"}, {"file": upload(PDF, "report.pdf")})
    assert form.is_valid(), form.errors
    return form.store(record, None)


def make_image(record, alt: str = "Volunteers at the reception desk"):
    from attachments.forms import ImageForm

    form = ImageForm({"alt": alt}, {"file": upload(image_bytes("JPEG", gps=True), "p.jpg")})
    assert form.is_valid(), form.errors
    return form.store(record, None)
