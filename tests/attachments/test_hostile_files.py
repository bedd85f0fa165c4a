"""Hostile and ordinary files through attachments/checks.py: what is accepted, and what is
refused in one sentence (renamed executables, polyglots, zip and decompression bombs)."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from attachments import checks
from tests.attachments import files


def refusal(check, content: bytes, name: str) -> ValidationError:
    with pytest.raises(ValidationError) as raised:
        check(files.upload(content, name))
    return raised.value


def test_a_png_with_gps_data_comes_out_without_any_exif():
    original = files.image_bytes("PNG", gps=True)
    assert files.has_exif(original)  # the test file really carries a position
    checked = checks.check_image(files.upload(original, "photo.png"))
    for encoded in (checked.original, checked.card, checked.large):
        assert not files.has_exif(encoded.content)
    assert checked.format == "png"


def test_a_jpeg_with_gps_data_comes_out_without_any_exif():
    original = files.image_bytes("JPEG", gps=True)
    assert files.has_exif(original)
    checked = checks.check_image(files.upload(original, "photo.jpg"))
    assert not files.has_exif(checked.original.content)
    assert Image.open(io.BytesIO(checked.original.content)).format == "JPEG"


def test_a_photo_is_turned_upright_before_its_orientation_is_dropped():
    rotated = files.image_bytes("JPEG", size=(80, 60), orientation=6)  # 90° clockwise
    checked = checks.check_image(files.upload(rotated, "photo.jpg"))
    assert (checked.original.width, checked.original.height) == (60, 80)


def test_the_copies_are_webp_and_fit_their_boxes():
    checked = checks.check_image(files.upload(files.image_bytes(size=(2000, 1000)), "big.png"))
    card = Image.open(io.BytesIO(checked.card.content))
    large = Image.open(io.BytesIO(checked.large.content))
    assert card.format == large.format == "WEBP"
    assert card.size == (640, 320) and large.size == (1600, 800)


def test_documents_are_recognised_by_their_bytes_not_their_name():
    assert checks.check_document(files.upload(files.PDF, "notes.docx"))[0] == "pdf"
    assert checks.check_document(files.upload(files.docx_bytes(), "report.pdf"))[0] == "docx"


def test_a_renamed_executable_is_refused():
    error = refusal(checks.check_document, files.EXECUTABLE, "report.pdf")
    assert error.code == "kind" and "PDF, DOCX" in error.messages[0]
    assert refusal(checks.check_image, files.EXECUTABLE, "photo.jpg").code == "kind"


def test_an_image_sent_as_a_document_is_refused():
    assert refusal(checks.check_document, files.image_bytes(), "report.pdf").code == "kind"


def test_a_zip_that_is_no_office_file_is_refused():
    content = files.office_bytes(part="something/else.xml")
    assert refusal(checks.check_document, content, "report.docx").code == "kind"


def test_a_zip_bomb_named_docx_is_refused():
    content = files.zip_bomb_docx()
    assert len(content) < 100_000
    error = refusal(checks.check_document, content, "report.docx")
    assert error.code == "zip_bomb" and "zip bomb" in error.messages[0]


@pytest.mark.parametrize(
    "check, content",
    [
        (checks.check_image, files.with_zip_appended(files.image_bytes())),
        (checks.check_image, files.with_zip_appended(files.image_bytes("JPEG"))),
        (checks.check_document, files.with_zip_appended(files.PDF)),
    ],
    ids=["png+zip", "jpeg+zip", "pdf+zip"],
)
def test_a_polyglot_is_refused(check, content):
    assert refusal(check, content, "file.png").code == "polyglot"


def test_an_image_over_the_size_limit_is_refused(settings):
    settings.ATTACHMENT_MAX_IMAGE_MB = 1
    content = files.noise_png(700)
    assert len(content) > 2**20
    error = refusal(checks.check_image, content, "big.png")
    assert error.code == "too_big" and "the limit is 1.0 MB" in error.messages[0]


def test_a_document_over_the_size_limit_is_refused(settings):
    settings.ATTACHMENT_MAX_DOCUMENT_MB = 1
    content = files.PDF + b"%" * 2**20
    assert refusal(checks.check_document, content, "big.pdf").code == "too_big"


def test_a_decompression_bomb_is_refused_before_its_pixels_are_decoded():
    error = refusal(checks.check_image, files.decompression_bomb(), "bomb.png")
    assert error.code == "pixels" and "40 million pixels" in error.messages[0]


def test_a_damaged_image_is_refused():
    content = files.image_bytes()[:60]
    assert refusal(checks.check_image, content, "cut.png").code == "damaged"


def test_a_cut_image_is_refused_even_after_weasyprint_relaxed_pillow():
    import weasyprint  # noqa: F401  (its import turns on the loading of truncated images)

    content = files.image_bytes()[:60]
    assert refusal(checks.check_image, content, "cut.png").code == "damaged"


def test_an_empty_file_is_refused():
    assert refusal(checks.check_document, b"", "empty.pdf").code == "empty"
