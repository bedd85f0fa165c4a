"""The programme in numbers: public figures of published work only, filterable like the
public list, drawn as SVG charts beside their tables, in a bounded number of queries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import EventSeries, ParticipantCount
from practices.models import Indicator, Practice
from tests import public_data
from tests.conftest import make_practice
from tests.test_public_statuses import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def kb(asticude, acpp):
    kb = public_data.build(asticude, acpp)
    week = EventSeries.objects.create(name="Migration Week", slug="week")
    shown = make_event(asticude, "Open workshop")
    shown.series = week
    shown.save()
    hidden = make_event(asticude, "Draft workshop", status="draft")
    hidden.series = week
    hidden.save()
    ParticipantCount.objects.create(event=shown, category="migrants", count=12)
    ParticipantCount.objects.create(event=shown, category="students", count=5)
    ParticipantCount.objects.create(event=hidden, category="migrants", count=1000)
    Indicator.objects.create(practice=kb["cafes"], label="Cafés", target=10, achieved=12)
    Indicator.objects.create(
        practice=kb["festival"], label="Viewers", target=Decimal(1000), achieved=Decimal(300)
    )
    for practice in kb["hidden"].values():
        Indicator.objects.create(practice=practice, label="Hidden", target=10, achieved=10)
    return kb


def rows(table) -> dict[str, int]:
    return {row.label: row.count for row in table.rows}


def table(response, title: str):
    tables = [
        *response.context["practice_tables"],
        response.context["indicators"].table,
        *response.context["event_tables"],
    ]
    return next(table for table in tables if table.title == title)


def test_everyone_sees_the_published_practices_counted_by_theme_objective_country_and_year(
    client, kb
):
    response = client.get("/en/numbers/")
    assert response.status_code == 200
    assert response.context["practice_count"] == 3
    assert rows(table(response, "Published practices by theme")) == {
        "Intercultural dialogue": 2,
        "Public discourse and media": 2,
        "Social inclusion": 1,
    }
    objectives = rows(table(response, "Published practices by GCM objective"))
    assert [count for label, count in objectives.items()] == [1, 2, 1]
    assert list(objectives)[0].startswith("16. ")
    assert rows(table(response, "Published practices by country")) == {"Morocco": 2, "Spain": 1}
    years = rows(table(response, "Published practices active each year"))
    assert years["2019"] == 1 and years["2020"] == 1 and years["2022"] == 1
    assert list(years) == sorted(years)


def test_no_draft_practice_event_or_indicator_is_ever_counted(client, kb):
    response = client.get("/en/numbers/")
    content = response.content.decode()
    assert "Hidden" not in content and "Draft workshop" not in content
    indicators = response.context["indicators"]
    assert (indicators.reached, indicators.with_target) == (1, 2)
    assert rows(indicators.table)["Target reached"] == 1
    assert rows(indicators.table)["Less than half of the target"] == 1
    assert response.context["event_count"] == 1
    assert response.context["participant_count"] == 17
    assert rows(table(response, "Participants by series")) == {"Migration Week": 17}
    assert rows(table(response, "Participants by category")) == {"Migrants": 12, "Students": 5}
    assert rows(table(response, "Published events by series")) == {"Migration Week": 1}


def test_the_figures_follow_the_public_lists_filters_with_removable_chips(client, kb):
    response = client.get("/en/numbers/", {"theme": "media"})
    assert response.context["practice_count"] == 2
    # The chosen theme alone, with the practices of the selection.
    assert rows(table(response, "Published practices by theme")) == {
        "Public discourse and media": 2
    }
    assert rows(table(response, "Published practices by country")) == {"Morocco": 1, "Spain": 1}
    assert (response.context["indicators"].reached, response.context["indicators"].with_target) == (
        0,
        1,
    )
    [chip] = response.context["chips"]
    assert chip["label"] == "Public discourse and media" and chip["url"] == "?"
    content = response.content.decode()
    assert 'href="/en/practices/?theme=media"' in content
    # A value of another table adds its filter to the page's.
    spain = next(
        row
        for row in table(response, "Published practices by country").rows
        if row.label == "Spain"
    )
    assert spain.url == "?theme=media&country=ES"


def test_a_search_narrows_the_figures(client, kb):
    response = client.get("/en/numbers/", {"q": "festival"})
    assert response.context["practice_count"] == 1
    assert response.context["chips"][0]["label"] == "festival"


def test_an_unknown_filter_value_counts_nothing_and_says_why(client, kb):
    response = client.get("/en/numbers/", {"theme": "no-such-theme"})
    assert response.status_code == 200
    assert response.context["practice_count"] == 0
    assert response.context["errors"]
    assert "Some filter values do not exist" in response.content.decode()


def test_each_chart_is_an_accessible_image_beside_its_table_without_inline_style(client, kb):
    content = client.get("/en/numbers/").content.decode()
    assert content.count("<h1") == 1
    charts = content.count("<svg")
    assert charts == 8
    assert content.count('role="img"') == charts
    assert content.count("<title id=") == charts and content.count("<desc id=") == charts
    assert content.count("<table") == charts
    assert "style=" not in content
    assert "<script" not in content.split("</head>")[1]


def test_the_arabic_page_draws_bars_from_the_right(client, kb):
    response = client.get("/ar/numbers/")
    content = response.content.decode()
    assert 'dir="rtl"' in content
    first = response.context["practice_tables"][0].chart[0]
    assert first.label_x == 400 and first.bar_x + first.bar_width == 400
    english = client.get("/en/numbers/").context["practice_tables"][0].chart[0]
    assert english.label_x == 0 and english.bar_x == 0


def test_the_page_is_linked_from_the_home_page_and_the_footer(client, db):
    content = client.get("/en/").content.decode()
    assert content.count('href="/en/numbers/"') == 2
    assert 'href="/en/numbers/" aria-current="page"' in client.get("/en/numbers/").content.decode()


def test_the_page_has_a_link_preview(client, db):
    content = client.get("/fr/numbers/?theme=x").content.decode()
    assert '<meta property="og:url" content="http://testserver/fr/numbers/">' in content
    assert '<meta property="og:locale" content="fr_FR">' in content


def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", ["/en/numbers/", "/ar/numbers/?theme=dialogue&country=MA"])
def test_the_number_of_queries_does_not_grow_with_the_practices(client, kb, asticude, path):
    before = count_queries(client, path)
    assert before <= 12
    for number in range(25):
        practice = make_practice(
            asticude, f"More practice {number}", start_date=date(2018, 1, 1), city="Nador"
        )
        practice.themes.set(kb["cafes"].themes.all())
        Indicator.objects.create(practice=practice, label="More", target=5, achieved=number)
    assert Practice.objects.published().count() == 28
    assert count_queries(client, path) == before


def test_the_page_answers_only_get(client, db):
    assert client.post("/en/numbers/").status_code == 405
