"""The visitor's filters as a form: a category by its key in one query, an unknown or
malformed key refused, and the forms of one language sharing their fields without one
visitor's values reaching another's."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from practices.models import GcmObjective, TargetGroup, Theme
from search.filter_fields import KeysField
from search.filters import PracticeFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def categories(theme):
    other = Theme.objects.create(name="Social inclusion", slug="social-inclusion")
    group = TargetGroup.objects.create(name="Journalists", slug="journalists")
    objective = GcmObjective.objects.get(number=5)  # the objectives come with the migrations
    return theme, other, group, objective


def test_a_visitors_category_filters_read_each_category_once(categories):
    theme, other, group, _objective = categories
    data = {"theme": [other.slug, theme.slug], "target_group": [group.slug], "country": ["MA"]}
    with CaptureQueriesContext(connection) as queries:
        active = PracticeFilter(data).active()
    assert len(queries) == 2
    assert active["theme"] == sorted([theme, other], key=lambda record: record.pk)
    assert active["target_group"] == [group]
    assert active["country"] == ["MA"]


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("theme", "no-such-theme"),
        ("theme", "Intercultural-Dialogue"),  # keys are matched as written
        ("objective", "05"),  # the number 5, but not its key
        ("objective", "abc"),
        ("objective", "99999999999999999999"),
        ("theme", "intercultural\x00dialogue"),
        ("country", "ZZ"),
        ("country", "ma"),  # codes too
    ],
)
def test_an_unknown_or_malformed_key_leaves_the_visitor_with_an_error_and_no_practice(
    categories, published_practice, name, key
):
    filterset = PracticeFilter({name: [key]})
    assert not filterset.is_valid()
    assert list(filterset.qs) == []
    assert filterset.error_messages()


def test_a_known_objective_number_is_found_by_its_key(categories):
    objective = categories[3]
    assert PracticeFilter({"objective": ["5"]}).active() == {"objective": [objective]}


def test_a_keys_field_over_part_of_a_table_refuses_the_records_outside_it(categories):
    theme, other, _group, _objective = categories
    field = KeysField(queryset=Theme.objects.filter(pk=theme.pk), to_field_name="slug")
    assert list(field.clean([theme.slug])) == [theme]
    with pytest.raises(Exception, match="valid choice"):
        field.clean([other.slug])


def test_two_visitors_forms_share_their_fields_but_not_their_values(categories):
    theme, other, _group, _objective = categories
    first = PracticeFilter({"theme": [theme.slug]})
    second = PracticeFilter({"theme": ["no-such-theme"]})
    assert first.form.fields["theme"] is second.form.fields["theme"]
    assert not second.is_valid()
    assert first.is_valid()
    assert first.active() == {"theme": [theme]}
    assert PracticeFilter({"theme": [other.slug]}).active() == {"theme": [other]}


def test_the_country_choices_are_read_in_the_visitors_language(categories):
    with translation.override("fr"):
        french = dict(PracticeFilter({}).form.fields["country"].choices)
    with translation.override("en"):
        english = dict(PracticeFilter({}).form.fields["country"].choices)
    assert (french["MA"], english["MA"]) == ("Maroc", "Morocco")
