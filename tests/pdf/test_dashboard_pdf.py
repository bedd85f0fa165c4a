"""The coordinators' monitoring report as a PDF: the dashboard's figures for a selection,
for coordinators only, never kept by a cache."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.conftest import make_practice
from tests.pdf.helpers import pdf_language, pdf_text, read_pdf
from tests.workspace_helpers import client_for


def report_url(language: str = "en", query: str = "") -> str:
    with translation.override(language):
        return reverse("reports:dashboard_pdf") + query


@pytest.fixture
def practices(asticude, theme, draft_practice):
    dated = make_practice(asticude, "Practice of 2024", start_date="2024-01-01")
    dated.themes.add(theme)
    make_practice(asticude, "Practice of 2019", start_date="2019-01-01", end_date="2019-12-31")
    return dated


def test_a_coordinator_gets_the_report_of_a_period_with_its_tables(coordinator, practices):
    response = client_for(coordinator).get(report_url(query="?from=2024-01-01&to=2024-12-31"))

    assert response.status_code == 200
    text = pdf_text(response)
    assert "Practices by status" in text
    assert "Practices by theme" in text
    assert "Intercultural dialogue" in text
    assert "Participants by category" in text
    assert "Period from" in text  # the selection is spelled out
    assert "Jan. 1, 2024" in text
    assert len(read_pdf(response).pages) >= 4  # each section starts a page


def test_the_report_counts_what_the_dashboard_counts(coordinator, practices):
    client = client_for(coordinator)
    query = "?from=2024-01-01&status=published"
    dashboard = client.get(reverse("reports:dashboard") + query)

    text = pdf_text(client.get(report_url(query=query)))

    assert dashboard.context["practice_count"] == 1
    assert "Practices 1 Events 0 Participants 0" in text


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "Reports"), ("fr", "Rapports"), ("es", "Informes"), ("ar", "التقارير")],
)
def test_the_report_is_in_the_pages_language(coordinator, practices, language, heading):
    response = client_for(coordinator).get(report_url(language))

    assert heading in pdf_text(response)
    assert pdf_language(response) == language


def test_the_report_is_never_stored_by_a_cache(coordinator, practices):
    response = client_for(coordinator).get(report_url(query="?from=2024-01-01&to=2024-12-31"))

    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"] == (
        'inline; filename="report-2024-01-01-2024-12-31-en.pdf"'
    )


def test_a_partner_cannot_get_the_report(partner, practices):
    assert client_for(partner).get(report_url()).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client, practices):
    response = client.get(report_url())

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_malformed_period_gives_a_report_not_an_error(coordinator, practices):
    response = client_for(coordinator).get(report_url(query="?from=yesterday&theme=x"))

    assert response.status_code == 200
    assert "Practices 0" in pdf_text(response)  # an unknown theme selects nothing


def test_the_dashboard_links_to_the_report_of_its_selection(coordinator, practices):
    page = client_for(coordinator).get(reverse("reports:dashboard") + "?from=2024-01-01")

    assert 'href="/en/reports/report.pdf?from=2024-01-01"' in page.content.decode()
