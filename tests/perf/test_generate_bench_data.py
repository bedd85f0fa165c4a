import io

import pytest
from django.core.management import call_command

from events.models import Event
from practices.models import Practice, Status, Theme
from stakeholders.models import Stakeholder

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
    assert not Event.objects.filter(slug__startswith="bench-").exists()
    assert not Stakeholder.objects.filter(slug__startswith="bench-").exists()
    assert Stakeholder.objects.filter(pk=asticude.pk).exists()


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
