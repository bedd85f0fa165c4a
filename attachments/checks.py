"""What an uploaded document or image is, judged by its bytes, and the image re-encoded.

Refused here, in one sentence each, before anything is stored: a file over the size limit,
a kind that is not on the list (a renamed executable), a file that is two kinds at once (a
polyglot: an image or a PDF that is also a zip archive), an office file that is no such file
or a zip bomb, an image over the pixel limit (a decompression bomb) or that Pillow cannot
decode. An image is decoded and encoded again: what is stored holds only its pixels, turned
upright by its EXIF orientation, never its EXIF (GPS positions) nor anything appended to it.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from nador_portal.zip_bounds import ZipRefused, open_bounded

# Office files: the part each one must hold, checked in the zip's directory.
OFFICE_PARTS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
    "odt": "content.xml",
}
DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
}
IMAGE_TYPES = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
# filetype's names of the accepted kinds.
DETECTED = {"jpg": "jpeg", "png": "png", "webp": "webp", **{kind: kind for kind in DOCUMENT_TYPES}}
# The copies the pages show: the card of the lists, and the picture of the record's page.
SIZES = {"card": (640, 400), "large": (1600, 1200)}
WEBP_QUALITY = 82


def max_document_bytes() -> int:
    return settings.ATTACHMENT_MAX_DOCUMENT_MB * 2**20


def max_image_bytes() -> int:
    return settings.ATTACHMENT_MAX_IMAGE_MB * 2**20


@dataclass
class Encoded:
    content: bytes
    width: int
    height: int


@dataclass
class CheckedImage:
    format: str
    original: Encoded
    card: Encoded
    large: Encoded


def _too_big(size: int, limit: int) -> ValidationError:
    return ValidationError(
        _("The file is %(size)s MB; the limit is %(limit)s MB.")
        % {"size": round(size / 2**20, 1), "limit": round(limit / 2**20, 1)},
        code="too_big",
    )


def _read(upload, limit: int) -> bytes:
    """The upload's bytes, without reading more than the limit allows."""
    if upload.size > limit:
        raise _too_big(upload.size, limit)
    upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise _too_big(len(content), limit)
    if not content:
        raise ValidationError(_("The file is empty."), code="empty")
    return content


def detected_kind(content: bytes) -> str | None:
    """The accepted kind the bytes are, or None."""
    guess = filetype.guess(content)
    return DETECTED.get(guess.extension) if guess else None


def _not_accepted(what: str) -> ValidationError:
    if what == "image":
        message = _("This is not an image the portal accepts: send a JPEG, PNG or WebP file.")
    else:
        message = _(
            "This is not a document the portal accepts: send a PDF, DOCX, XLSX, PPTX or ODT file."
        )
    return ValidationError(message, code="kind")


def _refuse_polyglot(content: bytes) -> None:
    """A PDF or an image is no zip archive: one that is also a zip (a polyglot) would be read
    as the one or the other depending on the program that opens it."""
    if zipfile.is_zipfile(io.BytesIO(content)):
        raise ValidationError(
            _(
                "This file is two kinds of file at once (it also holds a zip archive): "
                "it is refused."
            ),
            code="polyglot",
        )


def check_document(upload) -> tuple[str, bytes]:
    """(format, bytes) of an accepted document, or ValidationError."""
    content = _read(upload, max_document_bytes())
    kind = detected_kind(content)
    if kind not in DOCUMENT_TYPES:
        raise _not_accepted("document")
    if kind == "pdf":
        _refuse_polyglot(content)
    else:
        _check_office(content, kind)
    return kind, content


def _check_office(content: bytes, kind: str) -> None:
    try:
        archive = open_bounded(content, max_unpacked=4 * max_document_bytes())
    except ZipRefused as refused:
        if refused.reason == "damaged":
            raise _not_accepted("document") from None
        raise ValidationError(
            _(
                "This %(format)s file unpacks to far more than a document of its size should "
                "(a zip bomb?): it is refused."
            )
            % {"format": kind.upper()},
            code="zip_bomb",
        ) from None
    if OFFICE_PARTS[kind] not in archive.namelist():
        raise _not_accepted("document")


def check_image(upload) -> CheckedImage:
    """The image re-encoded, and its WebP copies, or ValidationError."""
    content = _read(upload, max_image_bytes())
    kind = detected_kind(content)
    if kind not in IMAGE_TYPES:
        raise _not_accepted("image")
    _refuse_polyglot(content)
    image = _decoded(content)
    return CheckedImage(
        format=kind,
        original=_encoded(image, kind),
        card=_encoded(_fitted(image, SIZES["card"]), "webp"),
        large=_encoded(_fitted(image, SIZES["large"]), "webp"),
    )


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        _("The image has more than %(limit)s million pixels: make it smaller and send it again.")
        % {"limit": settings.ATTACHMENT_MAX_IMAGE_PIXELS // 1_000_000},
        code="pixels",
    )


def _decoded(content: bytes) -> Image.Image:
    """The pixels, upright; the header's size is checked before any pixel is decoded."""
    limit = settings.ATTACHMENT_MAX_IMAGE_PIXELS
    # WeasyPrint (the PDFs) turns on Pillow's loading of truncated images for the whole
    # process when it is imported: a cut upload would then be accepted, padded with grey.
    # The portal's own images are whole, so strict decoding harms no PDF.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content))
            width, height = image.size
            if width * height > limit:
                raise _too_many_pixels()
            image.load()
            image = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ValidationError(
            _("The image is damaged or cannot be read: save it again and send it."),
            code="damaged",
        ) from None
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    # Only the pixels: a new image has no metadata (EXIF, XMP, text chunks) to pass on.
    return Image.frombytes(image.mode, image.size, image.tobytes())


def _fitted(image: Image.Image, box: tuple[int, int]) -> Image.Image:
    copy = image.copy()
    copy.thumbnail(box, Image.Resampling.LANCZOS)
    return copy


def _encoded(image: Image.Image, kind: str) -> Encoded:
    output = io.BytesIO()
    if kind == "jpeg":
        rgb = image.convert("RGB") if image.mode != "RGB" and image.mode != "L" else image
        rgb.save(output, "JPEG", quality=88, optimize=True)
    elif kind == "png":
        image.save(output, "PNG", optimize=True)
    else:
        image.save(output, "WEBP", quality=WEBP_QUALITY, method=4)
    return Encoded(output.getvalue(), image.width, image.height)
