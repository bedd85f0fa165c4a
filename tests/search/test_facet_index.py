"""The facet index gives the same counts from its bitmaps (PostgreSQL) as from the tables
(the fallback, and SQLite), each facet counted under the other active filters."""

import dataclasses
from datetime import date

import pytest
from django.db import connection

from practices.models import Programme, StakeholderRole, Status, Theme
from publishing.saving import move
from search import bitmap_index, counts, dimensions
from tests.conftest import make_practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def themes(db):
    return [Theme.objects.create(name=name, slug=name.lower()) for name in ("Media", "Youth")]


@pytest.fixture
def practices(asticude, acpp, themes):
    media, youth = themes
    programme = Programme.objects.create(name="MC2CM", slug="mc2cm")
    nador = make_practice(
        asticude,
        "Nador",
        country="MA",
        city="Nador",
        start_date=date(2019, 3, 1),
        programme=programme,
    )
    nador.themes.set([media, youth])
    StakeholderRole.objects.create(practice=nador, stakeholder=asticude, role="lead")
    seville = make_practice(acpp, "Seville", country="ES", city="Seville")
    seville.themes.set([media])
    StakeholderRole.objects.create(practice=seville, stakeholder=acpp, role="partner")
    oujda = make_practice(asticude, "Oujda", country="MA", city="Oujda")
    oujda.themes.set([youth])
    draft = make_practice(asticude, "Draft", status=Status.DRAFT, country="MA", city="Nador")
    draft.themes.set([media])
    bitmap_index.refresh_all()
    return {"nador": nador, "seville": seville, "oujda": oujda, "draft": draft}


def facet_counts(**filters):
    return counts.facet_counts(filters)


def test_counts_without_filters_cover_published_practices_only(practices, themes):
    media, youth = themes
    found = facet_counts()
    assert found["total"] == {"": 3}
    assert found["theme"] == {str(media.pk): 2, str(youth.pk): 2}
    assert found["country"] == {"MA": 2, "ES": 1}
    assert found["city"] == {"Nador": 1, "Seville": 1, "Oujda": 1}
    # Nador started in 2019 with no end: active every year since (the list's "year").
    assert found["year"] == {str(year): 1 for year in range(2019, date.today().year + 1)}
    assert found["programme"] == {str(practices["nador"].programme_id): 1}
    assert found["stakeholder_kind"] == {"ngo": 2}


def test_each_facet_is_counted_under_the_other_filters(practices, themes):
    media, youth = themes
    found = facet_counts(theme=[media.pk], country=["MA"])
    assert found["total"] == {"": 1}
    # Themes under "country MA" only; countries under "theme Media" only.
    assert found["theme"] == {str(media.pk): 1, str(youth.pk): 2}
    assert found["country"] == {"MA": 1, "ES": 1}
    assert found["city"] == {"Nador": 1}


def test_several_values_of_one_dimension_mean_any_of_them(practices, themes):
    assert facet_counts(theme=[t.pk for t in themes])["total"] == {"": 3}
    assert facet_counts(city=["Nador", "Oujda"])["total"] == {"": 2}


def test_a_value_nobody_has_selects_nothing(practices):
    found = facet_counts(city=["Atlantis"])
    assert found["total"] == {"": 0}
    assert found["country"] == {}
    assert found["city"] == {"Nador": 1, "Seville": 1, "Oujda": 1}


def test_publishing_a_practice_counts_it_at_once(practices, themes, coordinator):
    draft = practices["draft"]
    move(draft, "submit", by=coordinator)
    move(draft, "publish", by=coordinator)

    found = facet_counts(theme=[themes[0].pk])
    assert found["total"] == {"": 3}
    assert found["city"] == {"Nador": 2, "Seville": 1}


def test_archiving_and_changing_links_updates_the_counts_after_refresh(practices, themes):
    nador = practices["nador"]
    nador.themes.set([themes[1]])
    bitmap_index.refresh_practices([nador.pk])
    assert facet_counts()["theme"] == {str(themes[0].pk): 1, str(themes[1].pk): 2}

    nador.status = Status.ARCHIVED
    nador.save()
    bitmap_index.refresh_practices([nador.pk])
    found = facet_counts()
    assert found["total"] == {"": 2}
    assert "2019" not in found["year"]


def test_a_practice_beyond_the_bitmaps_length_makes_them_grow(practices, asticude, themes):
    far = make_practice(asticude, "Far", country="TN", city="Tunis", id=70_000)
    far.themes.set([themes[0]])
    bitmap_index.refresh_practices([far.pk])
    found = facet_counts(theme=[themes[0].pk])
    assert found["total"] == {"": 3}
    assert found["country"] == {"MA": 1, "ES": 1, "TN": 1}


def test_the_stakeholder_facet_keeps_the_most_active_and_the_selected(
    practices, asticude, acpp, monkeypatch
):
    stakeholder = dataclasses.replace(dimensions.get("stakeholder"), limit=0)
    others = [d for d in dimensions.DIMENSIONS if d.name != "stakeholder"]
    monkeypatch.setattr(dimensions, "DIMENSIONS", [*others, stakeholder])
    found = counts.facet_counts({"stakeholder": [acpp.pk]})
    assert found["stakeholder"] == {str(acpp.pk): 1}
    monkeypatch.setattr(
        dimensions, "DIMENSIONS", [*others, dataclasses.replace(stakeholder, limit=1)]
    )
    # One published practice each: the tie goes to the smaller value, on both paths.
    first = min(str(asticude.pk), str(acpp.pk))
    assert counts.facet_counts({})["stakeholder"] == {first: 1}


def test_unknown_dimensions_are_refused():
    with pytest.raises(ValueError, match="colour"):
        counts.facet_counts({"colour": ["red"]})


def test_all_facets_and_the_total_take_one_query_on_postgresql(
    practices, themes, django_assert_max_num_queries
):
    limit = 1 if connection.vendor == "postgresql" else 30
    with django_assert_max_num_queries(limit):
        facet_counts(theme=[themes[0].pk], country=["MA"], year=["2019"])
