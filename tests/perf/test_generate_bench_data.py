import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import F

from events.models import Event
from perf import benchdata
from practices.models import Practice, PracticeTranslation, Status, Theme
from stakeholders.models import Stakeholder
from tests.conftest import ON_POSTGRES

pytestmark = pytest.mark.django_db


def run(*args: str) -> None:
    call_command("generate_bench_data", *args, stdout=io.StringIO())


def test_bench_data_is_sample_content_with_links_and_mostly_published():
    run("--practices", "200", "--seed", "3")

    practices = Practice.objects.filter(slug__startswith="bench-")
    assert practices.count() == 200
    assert not practices.filter(is_sample=False).exists()
    assert practices.published().count() > 150
    assert practices.exclude(status=Status.PUBLISHED).exists()
    assert Theme.objects.filter(practices__in=practices).exists()
    assert all(len(p.summary) >= 1000 for p in practices[:20])
    assert Event.objects.filter(slug__startswith="bench-").count() == 40
    assert Stakeholder.objects.filter(slug__startswith="bench-").count() == 20


def test_about_a_third_of_bench_practices_have_one_or_two_approved_translations():
    run("--practices", "300", "--seed", "3")

    translations = PracticeTranslation.objects.filter(practice__slug__startswith="bench-")
    per_practice = Counter(translations.values_list("practice_id", flat=True))
    assert 70 <= len(per_practice) <= 130
    assert set(per_practice.values()) == {1, 2}
    assert set(translations.values_list("status", flat=True)) == {Status.PUBLISHED}
    assert set(translations.values_list("language", flat=True)) == {"en", "fr", "es", "ar"}
    assert not translations.filter(language=F("practice__language")).exists()
    arabic = translations.filter(language="ar").first()
    assert "المهاجرين" in arabic.summary and len(arabic.summary) >= 1000


def test_translations_leave_the_rest_of_the_bench_data_as_it_was(monkeypatch):
    """Figures measured before translations stay comparable: translations draw from their
    own random stream, so the practices are the same with or without them."""
    fields = ("title", "summary", "language", "country", "status")
    run("--practices", "40", "--seed", "7")
    with_translations = list(Practice.objects.order_by("id").values_list(*fields))
    monkeypatch.setattr(benchdata, "TRANSLATED_SHARE", 0)
    run("--practices", "40", "--seed", "7", "--clear")
    assert list(Practice.objects.order_by("id").values_list(*fields)) == with_translations
    assert not PracticeTranslation.objects.exists()


def test_bench_data_is_the_same_for_the_same_seed():
    run("--practices", "30", "--seed", "7")
    first = list(Practice.objects.order_by("id").values_list("title", "summary", "country"))
    run("--practices", "30", "--seed", "7", "--clear")
    second = list(Practice.objects.order_by("id").values_list("title", "summary", "country"))
    assert first == second


def test_clear_deletes_bench_data_and_keeps_other_practices(asticude):
    Practice.objects.create(
        title="Real", slug="real", summary="s", country="MA", organisation=asticude
    )
    run("--practices", "20")
    run("--practices", "0", "--clear")

    assert list(Practice.objects.values_list("slug", flat=True)) == ["real"]
    assert not PracticeTranslation.objects.exists()
    assert not Event.objects.filter(slug__startswith="bench-").exists()
    assert not Stakeholder.objects.filter(slug__startswith="bench-").exists()
    assert Stakeholder.objects.filter(pk=asticude.pk).exists()


if ON_POSTGRES:  # SQLite never gives an id twice (AUTOINCREMENT), nor has bitmaps to keep short

    def test_after_a_clear_new_practices_take_the_ids_after_the_remaining_ones(asticude):
        real = Practice.objects.create(
            title="Real", slug="real", summary="s", country="MA", organisation=asticude
        )
        run("--practices", "20")
        run("--practices", "0", "--clear")
        after = Practice.objects.create(
            title="After", slug="after", summary="s", country="MA", organisation=asticude
        )
        assert after.pk == real.pk + 1


def test_new_bench_rows_can_be_followed_by_ordinary_inserts(asticude):
    run("--practices", "10")
    practice = Practice.objects.create(
        title="After", slug="after", summary="s", country="MA", organisation=asticude
    )
    assert practice.pk > Practice.objects.filter(slug__startswith="bench-").latest("id").pk


def test_reuse_keeps_bench_data_of_the_same_size_and_redoes_another_size():
    run("--practices", "15")
    first_ids = set(Practice.objects.values_list("id", flat=True))
    run("--practices", "15", "--reuse")
    assert set(Practice.objects.values_list("id", flat=True)) == first_ids
    run("--practices", "12", "--reuse")
    assert Practice.objects.filter(slug__startswith="bench-").count() == 12
