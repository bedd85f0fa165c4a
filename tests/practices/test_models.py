from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from events.models import Event
from practices.models import GcmObjective, GuidingPrinciple, Indicator, Practice, Status
from publishing.access import for_user
from tests.conftest import make_practice

pytestmark = pytest.mark.django_db


def test_a_practice_cannot_end_before_it_starts(asticude):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_practice(
            asticude, "Backwards", start_date=date(2020, 5, 1), end_date=date(2020, 4, 30)
        )
    assert not Practice.objects.filter(slug="backwards").exists()


def test_a_practice_may_end_the_day_it_starts_or_have_no_dates(asticude):
    make_practice(asticude, "One day", start_date=date(2020, 5, 1), end_date=date(2020, 5, 1))
    make_practice(asticude, "Open ended", start_date=date(2020, 5, 1))
    make_practice(asticude, "Undated")
    assert Practice.objects.count() == 3


def test_an_event_cannot_end_before_it_starts(asticude):
    starts = datetime(2019, 12, 16, 9, tzinfo=ZoneInfo("Africa/Casablanca"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(
            title="Backwards",
            slug="backwards",
            kind="training",
            starts_at=starts,
            ends_at=starts - timedelta(hours=1),
            country="MA",
            organisation=asticude,
        )
    assert not Event.objects.exists()


def test_the_23_gcm_objectives_are_loaded_by_migration():
    assert GcmObjective.objects.count() == 23
    assert GcmObjective.objects.get(number=17).short_title == "Eliminate discrimination"
    assert list(GcmObjective.objects.values_list("number", flat=True)) == list(range(1, 24))


def test_the_10_guiding_principles_are_loaded_by_migration():
    assert GuidingPrinciple.objects.count() == 10
    assert GuidingPrinciple.objects.get(slug="whole-of-society").title == (
        "Whole-of-society approach"
    )


def test_published_returns_only_published_practices(asticude):
    for status in Status.values:
        make_practice(asticude, f"Practice {status}", status=status)
    assert list(Practice.objects.published().values_list("status", flat=True)) == ["published"]


def test_anonymous_sees_only_published_work(asticude, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    make_practice(asticude, "Draft", status=Status.DRAFT)
    make_practice(asticude, "Live")
    assert [p.title for p in for_user(Practice.objects.all(), AnonymousUser())] == ["Live"]


def test_partner_sees_their_organisations_drafts_but_not_others(partner, asticude, acpp):
    make_practice(asticude, "Our draft", status=Status.DRAFT)
    make_practice(acpp, "Their draft", status=Status.DRAFT)
    make_practice(acpp, "Their published")
    titles = set(for_user(Practice.objects.all(), partner).values_list("title", flat=True))
    assert titles == {"Our draft", "Their published"}


def test_coordinator_sees_everything(coordinator, asticude, acpp):
    make_practice(asticude, "Our draft", status=Status.DRAFT)
    make_practice(acpp, "Their draft", status=Status.SUBMITTED)
    assert for_user(Practice.objects.all(), coordinator).count() == 2


def test_indicator_reports_the_share_of_its_target_reached(published_practice):
    indicator = Indicator.objects.create(
        practice=published_practice, label="Narrative creators trained", target=40, achieved=43
    )
    assert indicator.share_reached == pytest.approx(1.075)
    assert Indicator(label="No target", achieved=3).share_reached is None


def test_string_forms_and_urls_are_readable(published_practice):
    assert str(published_practice) == "Published practice of ASTICUDE"
    assert published_practice.get_absolute_url().endswith(
        "/practices/published-practice-of-asticude/"
    )
    assert str(GcmObjective.objects.get(number=23)) == "23. International cooperation"
