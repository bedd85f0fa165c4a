"""The facet index stays right after every kind of change: publishing, archiving, editing a
practice's taxonomies in the workspace, an import, a stakeholder's new kind. After each,
the counts of the list (from the bitmaps on PostgreSQL) equal a plain GROUP BY over the
tables, and the list page's queries do not grow with the data."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db.models import Count

from practices.models import Practice, StakeholderRole, Status, TargetGroup, Theme
from publishing.saving import move
from search import bitmap_index, counts, fulltext, index
from search.facet_options import compute_facets, facets_and_total
from search.filters import PracticeFilter
from stakeholders.models import StakeholderKind
from tests.conftest import make_practice, make_stakeholder
from tests.spreadsheet_helpers import csv_bytes
from tests.workspace_helpers import client_for, practice_data

pytestmark = pytest.mark.django_db

FILTER_SETS = [
    {},
    {"theme": ["media"]},
    {"country": ["MA"], "stakeholder_kind": ["ngo"]},
    {"theme": ["media", "youth"], "year": ["2020"]},
]


@pytest.fixture
def themes(db):
    return {name: Theme.objects.create(name=name.title(), slug=name) for name in ("media", "youth")}


@pytest.fixture
def practices(asticude, acpp, themes):
    made = {}
    for n, (country, theme, status) in enumerate(
        [
            ("MA", "media", Status.PUBLISHED),
            ("MA", "youth", Status.PUBLISHED),
            ("ES", "media", Status.PUBLISHED),
            ("MA", "media", Status.SUBMITTED),
        ]
    ):
        practice = make_practice(
            asticude if country == "MA" else acpp,
            f"Practice {n}",
            status=status,
            country=country,
            city="Nador" if country == "MA" else "Seville",
            start_date=date(2019 + n, 1, 1),
            end_date=date(2022, 1, 1) if n % 2 else None,
        )
        practice.themes.set([themes[theme]])
        organisation = asticude if country == "MA" else acpp
        StakeholderRole.objects.create(practice=practice, stakeholder=organisation, role="lead")
        made[n] = practice
    fulltext.write_vectors(Practice.objects.all())
    bitmap_index.refresh_all()
    return made


def group_by_counts(filters: dict) -> dict:
    """What the list shows, counted from the tables with plain GROUP BYs."""
    active = {name: _ids(name, values) for name, values in filters.items()}
    found = {}
    for dimension, value, count, _key, _title in counts.rows_from_tables(active):
        found.setdefault(dimension, {})[value] = count
    return found


def _ids(name: str, values: list[str]) -> list[str]:
    if name == "theme":
        return [str(Theme.objects.get(slug=slug).pk) for slug in values]
    return values


def index_counts(filters: dict) -> dict:
    """The same counts from the bitmaps (on PostgreSQL; elsewhere from the tables too)."""
    found = counts.facet_counts({name: _ids(name, values) for name, values in filters.items()})
    return {name: values for name, values in found.items() if values}


def assert_index_matches_the_tables():
    for filters in FILTER_SETS:
        assert index_counts(filters) == group_by_counts(filters), filters
    # And the list's own facets agree with a plain GROUP BY of countries.
    published = Practice.objects.published()
    countries = dict(published.values_list("country").annotate(n=Count("pk")))
    facets = compute_facets(PracticeFilter({}).data)
    assert {option.value: option.count for option in facets["country"]} == countries


def test_the_index_matches_the_tables_once_built(practices):
    assert_index_matches_the_tables()
    assert index_counts({})["total"] == {"": 3}


def test_publishing_counts_the_practice_at_once(practices, coordinator):
    move(practices[3], "publish", by=coordinator)
    assert index_counts({})["total"] == {"": 4}
    assert_index_matches_the_tables()


def test_archiving_drops_the_practice_at_once(practices, coordinator):
    move(practices[0], "archive", by=coordinator)
    assert index_counts({})["total"] == {"": 2}
    assert_index_matches_the_tables()


def test_editing_taxonomies_in_the_workspace_moves_the_counts(practices, coordinator, themes):
    practice = practices[0]
    data = practice_data(practice, coordinator, themes=[themes["youth"].pk])
    response = client_for(coordinator).post(f"/en/workspace/practices/{practice.slug}/edit/", data)
    assert response.status_code == 302
    practice.refresh_from_db()
    assert list(practice.themes.all()) == [themes["youth"]]
    assert_index_matches_the_tables()


def test_refreshing_practices_ids_apart_rewrites_only_their_bits(practices, asticude, themes):
    # Ids in several bytes of the bitmaps, with untouched practices between and around them.
    more = [
        make_practice(asticude, f"More {n}", status=Status.PUBLISHED, country="FR")
        for n in range(20)
    ]
    first, last = more[2], more[17]
    bitmap_index.refresh_practices([p.pk for p in more])
    Practice.objects.filter(pk__in=[first.pk, last.pk]).update(country="TN")
    first.themes.set([themes["youth"]])
    last.themes.set([themes["media"], themes["youth"]])
    bitmap_index.refresh_practices([last.pk, first.pk])
    assert index_counts({})["country"] == {"MA": 2, "ES": 1, "FR": 18, "TN": 2}
    assert index_counts({"country": ["TN"]})["theme"] == {
        str(themes["youth"].pk): 2,
        str(themes["media"].pk): 1,
    }
    assert_index_matches_the_tables()


def test_an_import_updates_the_index_of_new_and_changed_practices(practices, tmp_path, asticude):
    headers = ["slug", "title", "status", "organisation", "summary", "country", "themes"]
    rows = [
        [practices[1].slug, "Renamed", "published", "ASTICUDE", "Text.", "TN", "media"],
        ["brand-new", "Brand new", "published", "ASTICUDE", "Text.", "FR", "youth|media"],
    ]
    path = tmp_path / "practices.csv"
    path.write_bytes(csv_bytes([headers, *rows]))
    call_command("import_data", "practices", str(path))
    assert Practice.objects.get(slug="brand-new").is_published
    found = index_counts({})
    assert found["country"] == {"MA": 1, "ES": 1, "TN": 1, "FR": 1}
    assert_index_matches_the_tables()


def test_a_stakeholders_new_kind_moves_its_practices(practices, asticude):
    asticude.kind = StakeholderKind.values[-1]
    asticude.save()
    index.refresh_after_change(asticude)
    assert index_counts({})["stakeholder_kind"].get(asticude.kind) == 2
    assert_index_matches_the_tables()


def test_the_list_takes_as_many_queries_with_more_practices(
    practices, client, django_assert_num_queries, themes
):
    def queries(path: str) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    paths = ["/en/practices/", "/en/practices/?theme=media&country=MA", "/en/themes/media/"]
    before = [queries(path) for path in paths]
    group = TargetGroup.objects.create(name="Youth", slug="young")
    for n in range(30):
        stakeholder = make_stakeholder(f"Org {n}")
        practice = make_practice(stakeholder, f"More {n}", country="TN", city=f"City {n}")
        practice.themes.set([themes["media"]])
        practice.target_groups.set([group])
        StakeholderRole.objects.create(practice=practice, stakeholder=stakeholder, role="lead")
    bitmap_index.refresh_all()
    after = [queries(path) for path in paths]
    assert after == before
    assert max(after) <= 12


@pytest.mark.parametrize("query", ["q=Practice+2", "q=practice&country=MA", "q=nowhere"])
def test_search_facets_from_the_index_equal_those_from_the_tables(practices, query):
    from django.http import QueryDict

    filterset = PracticeFilter(QueryDict(query), queryset=Practice.objects.published())
    facets, total = facets_and_total(filterset.data, filterset)
    active = {
        name: [str(v.pk if hasattr(v, "pk") else v) for v in values]
        for name, values in filterset.active().items()
    }
    from_tables = counts.rows_from_tables(active, filterset.search_text())
    expected: dict[str, dict[str, int]] = {name: {} for name in facets}
    for name, _value, count, key, _title in from_tables:
        if name != counts.TOTAL:
            expected[name][key] = count
    as_counts = {name: {o.value: o.count for o in options} for name, options in facets.items()}
    assert as_counts == expected
    assert total == filterset.qs.count()


def test_the_theme_counts_of_home_and_themes_pages_follow_a_publication(
    practices, client, coordinator
):
    move(practices[3], "publish", by=coordinator)
    published = Practice.objects.published()
    expected = dict(published.values_list("themes__slug").annotate(n=Count("pk")))
    for path in ("/en/", "/en/themes/"):
        themes = client.get(path).context["themes"]
        assert {theme.slug: theme.count for theme in themes} == expected
    assert expected == {"media": 3, "youth": 1}


def test_related_practices_share_a_theme_and_follow_an_archive(practices, client, coordinator):
    response = client.get(f"/en/practices/{practices[0].slug}/")
    assert [p.slug for p in response.context["related"]] == [practices[2].slug]
    move(practices[2], "archive", by=coordinator)
    response = client.get(f"/en/practices/{practices[0].slug}/")
    assert response.context["related"] == []


def test_a_facet_shows_the_fifty_most_used_options_and_the_selected_ones(asticude):
    for n in range(60):
        make_practice(asticude, f"Town {n}", city=f"Town {n:02d}", country="MA")
    make_practice(asticude, "Another in town 00", city="Town 00", country="MA")
    bitmap_index.refresh_all()
    from django.http import QueryDict

    facets = compute_facets(QueryDict("city=Town+59"))
    cities = [option.value for option in facets["city"]]
    assert len(cities) == 51
    assert cities[0] == "Town 00"  # two practices
    assert "Town 59" in cities  # selected, though not among the fifty first


def test_an_import_of_stakeholders_moves_their_practices_kind_and_name(practices, asticude):
    from reports.imports import run_import

    headers = ["slug", "name", "kind"]
    content = csv_bytes([headers, [asticude.slug, "Zaytouna Solidarity", "media"]])
    report = run_import("stakeholders", content, "stakeholders.csv", dry_run=False)
    assert report.ok and report.updated == 1
    assert index_counts({})["stakeholder_kind"].get("media") == 2
    assert_index_matches_the_tables()
    found = PracticeFilter({"q": "zaytouna"}, queryset=Practice.objects.published()).qs
    assert {p.pk for p in found} == {practices[0].pk, practices[1].pk}
