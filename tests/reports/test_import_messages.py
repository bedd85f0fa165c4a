"""What an import says, in the page's language: each problem names its row and column
and what to type instead; a value a coordinator commonly types is read."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from practices.models import Practice
from tests.conftest import logged_in
from tests.reports.import_helpers import HEADERS, practice_row
from tests.spreadsheet_helpers import csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def dry_run(client, language: str, content: bytes, name: str = "practices.csv"):
    return client.post(
        f"/{language}/reports/import/",
        {"kind": "practices", "file": SimpleUploadedFile(name, content)},
    )


def page_text(response) -> str:
    """The page, with French's no-break spaces (before “:”, inside « ») as plain ones."""
    return response.content.decode().replace("\u00a0", " ")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "The file has no rows"),
        ("fr", "Le fichier n’a aucune ligne"),
        ("ar", "لا يحتوي الملف على أي صف"),
    ],
)
def test_a_file_with_only_its_header_is_refused_and_cannot_be_confirmed(
    coordinator, reference, language, expected
):
    client = logged_in(coordinator)
    response = dry_run(client, language, csv_bytes([HEADERS]))
    assert expected in page_text(response)
    assert 'value="confirm"' not in page_text(response)
    confirmed = client.post(f"/{language}/reports/import/confirm/", {"action": "confirm"})
    assert confirmed.status_code == 302
    assert not Practice.objects.exists()


def practices_with(column: str, value) -> bytes:
    return csv_bytes([[*HEADERS, column], [*practice_row("one"), value]])


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "« 31/13/2026 » n’est pas une date : écrivez-la sous la forme année-mois-jour"),
        ("ar", "«31/13/2026» ليس تاريخًا: اكتبه على شكل سنة-شهر-يوم، مثل 2026-12-31."),
    ],
)
def test_a_start_date_that_is_no_date_says_which_form_to_write(
    coordinator, reference, language, expected
):
    response = dry_run(logged_in(coordinator), language, practices_with("start_date", "31/13/2026"))
    assert expected in page_text(response)
    assert "could not be parsed" not in page_text(response)


@pytest.mark.parametrize(
    ("language", "typed", "read"),
    [
        ("en", "31/12/2026", "2026-12-31"),
        ("fr", "31/12/2026", "2026-12-31"),
        ("fr", "05/03/2026", "2026-03-05"),
        ("ar", "5.3.2026", "2026-03-05"),
    ],
)
def test_a_day_first_date_is_read_when_the_language_leaves_no_doubt(
    coordinator, reference, language, typed, read
):
    client = logged_in(coordinator)
    dry_run(client, language, practices_with("start_date", typed))
    client.post(f"/{language}/reports/import/confirm/", {"action": "confirm"})
    assert str(Practice.objects.get().start_date) == read


def test_a_date_that_could_be_either_day_or_month_first_is_refused_in_english(
    coordinator, reference
):
    response = dry_run(logged_in(coordinator), "en", practices_with("start_date", "05/03/2026"))
    assert "is not a date: write it as year-month-day, e.g. 2026-12-31." in page_text(response)


@pytest.mark.parametrize("typed", ["Morocco", "Maroc", "المغرب", "Marruecos", "ma", "MAR"])
def test_a_country_is_read_from_its_code_or_its_name_in_any_language(coordinator, reference, typed):
    client = logged_in(coordinator)
    dry_run(client, "fr", csv_bytes([HEADERS, practice_row("one", country=typed)]))
    client.post("/fr/reports/import/confirm/", {"action": "confirm"})
    assert Practice.objects.get().country.code == "MA"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "« ZZZ » n’est pas un pays : écrivez son code à deux lettres, par exemple MA"),
        ("ar", "«ZZZ» ليس بلدًا: اكتب رمزه المكوّن من حرفين، مثل MA للمغرب، أو اسمه."),
    ],
)
def test_an_unknown_country_says_a_two_letter_code_is_expected(
    coordinator, reference, language, expected
):
    content = csv_bytes([HEADERS, practice_row("one", country="ZZZ")])
    response = dry_run(logged_in(coordinator), language, content)
    assert expected in page_text(response)
    assert "not a valid choice" not in page_text(response)


def test_a_blank_language_cell_means_english(coordinator, reference):
    client = logged_in(coordinator)
    response = dry_run(client, "fr", practices_with("language", ""))
    assert 'value="confirm"' in page_text(response)
    client.post("/fr/reports/import/confirm/", {"action": "confirm"})
    assert Practice.objects.get().language == "en"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "Cette cellule compte 100000 caractères ; la limite de cette colonne est de 255."),
        ("ar", "تحتوي هذه الخلية على 100000 حرفًا، والحد الأقصى لهذا العمود هو 255."),
    ],
)
def test_a_title_too_long_is_held_to_the_limit_of_a_title(
    coordinator, reference, language, expected
):
    content = csv_bytes([HEADERS, practice_row("one", title="t" * 100_000)])
    response = dry_run(logged_in(coordinator), language, content)
    assert expected in page_text(response)


def test_a_translated_title_too_long_is_held_to_the_limit_of_a_title(coordinator, reference):
    response = dry_run(logged_in(coordinator), "en", practices_with("title_fr", "t" * 300))
    assert "This cell has 300 characters; the limit of this column is 255." in page_text(response)


def test_a_utf16_file_with_a_byte_order_mark_is_read(coordinator, reference):
    text = "\n".join(",".join(row) for row in [HEADERS, practice_row("one", title="Café")])
    client = logged_in(coordinator)
    dry_run(client, "fr", text.encode("utf-16"))
    client.post("/fr/reports/import/confirm/", {"action": "confirm"})
    assert Practice.objects.get().title == "Café"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "Ce fichier est en UTF-16 sans indicateur d’ordre des octets"),
        ("ar", "هذا الملف بترميز UTF-16 من دون علامة ترتيب البايتات"),
    ],
)
def test_a_utf16_file_without_a_byte_order_mark_says_to_save_it_as_utf8(
    coordinator, reference, language, expected
):
    text = "\n".join(",".join(row) for row in [HEADERS, practice_row("one")])
    response = dry_run(logged_in(coordinator), language, text.encode("utf-16-le"))
    assert expected in page_text(response)


@pytest.mark.parametrize(
    ("language", "expected"), [("fr", "Pratiques : 1 ajout(s)"), ("ar", "الممارسات: جديد 1")]
)
def test_the_summary_names_the_data_in_the_page_language(
    coordinator, reference, language, expected
):
    client = logged_in(coordinator)
    dry_run(client, language, csv_bytes([HEADERS, practice_row("one")]))
    response = client.post(
        f"/{language}/reports/import/confirm/", {"action": "confirm"}, follow=True
    )
    assert expected in page_text(response)


EVENT_HEADERS = ["slug", "title", "status", "kind", "organisation", "starts_at", "ends_at"]


@pytest.mark.parametrize(
    ("language", "typed", "expected"),
    [
        ("fr", "forty", "« forty » n’est pas un nombre entier : écrivez-le en chiffres"),
        ("ar", "12.5", "«12.5» ليس عددًا صحيحًا: اكتبه بالأرقام، مثل 40."),
    ],
)
def test_expected_participants_that_are_no_whole_number_say_to_write_digits(
    coordinator, asticude, language, typed, expected
):
    row = ["t", "T", "published", "training", "asticude", "2026-12-16 09:00", "2026-12-17 17:00"]
    content = csv_bytes([[*EVENT_HEADERS, "country", "expected_participants"], [*row, "MA", typed]])
    response = logged_in(coordinator).post(
        f"/{language}/reports/import/",
        {"kind": "events", "file": SimpleUploadedFile("events.csv", content)},
    )
    assert expected in page_text(response)
