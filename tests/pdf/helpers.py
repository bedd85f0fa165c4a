"""Reading the PDFs the portal makes, as a reader's PDF viewer would."""

from io import BytesIO

from pypdf import PdfReader


def read_pdf(response) -> PdfReader:
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(BytesIO(response.content))


def pdf_text(response) -> str:
    """The text of every page, with its spaces and line breaks made single spaces."""
    reader = read_pdf(response)
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def pdf_language(response) -> str:
    return str(read_pdf(response).trailer["/Root"].get("/Lang", ""))


def pdf_fonts(response) -> set[str]:
    """The names of the fonts embedded in the PDF (without their subset prefix)."""
    names = set()
    for page in read_pdf(response).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for font in fonts.values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names
