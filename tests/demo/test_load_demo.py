import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from demo.loader import NADOR_SLUG, SEED_FILE
from demo.practice_record import parse_practice_record
from events.models import Event, ParticipantCount
from practices.models import Indicator, Practice, StakeholderRole
from publishing.access import is_coordinator
from stakeholders.models import Membership, Stakeholder

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    models = [
        Practice,
        Stakeholder,
        Event,
        ParticipantCount,
        StakeholderRole,
        Indicator,
        Membership,
        get_user_model(),
    ]
    return {model.__name__: model.objects.count() for model in models}


def test_load_demo_twice_gives_the_same_counts(settings):
    settings.DEBUG = True
    call_command("load_demo")
    first = counts()
    call_command("load_demo")
    assert counts() == first
    assert first["Practice"] >= 13


def test_the_nador_practice_keeps_the_seed_text_unchanged():
    call_command("load_demo")
    record = parse_practice_record(SEED_FILE.read_text(encoding="utf-8"))
    nador = Practice.objects.get(slug=NADOR_SLUG)
    assert nador.is_published and not nador.is_sample
    assert nador.title == record["title"]
    assert nador.summary == record["summary"]
    assert nador.impact == record["impact"]
    assert nador.lessons_learnt == record["lessons_learnt"]
    assert "  • ASTICUDE has a database on the topic organized by target category" in (
        nador.lessons_learnt
    )
    assert nador.mayor == "Soulaimane Azouagh"
    assert nador.local_government == "Nador"
    assert nador.country.code == "MA"
    assert nador.start_date is None and nador.end_date is None
    assert sorted(nador.objectives.values_list("number", flat=True)) == [17, 23]
    assert nador.programme.name == "MC2CM"


def test_the_nador_practice_names_its_stakeholders():
    call_command("load_demo")
    names = set(Practice.objects.get(slug=NADOR_SLUG).stakeholders.values_list("name", flat=True))
    assert {"ASTICUDE", "ACPP", "UCLG", "Municipality of Nador"} <= names
    assert "National Mutual Aid (Entraide Nationale)" in names
    assert "Directorate of Education, Youth and Sports" in names


def test_sample_practices_are_marked_and_spread_across_themes_and_countries():
    call_command("load_demo")
    samples = Practice.objects.published().filter(is_sample=True)
    assert samples.count() >= 12
    assert all(p.title.startswith("Sample:") for p in samples)
    assert samples.values("country").distinct().count() >= 4
    assert samples.values("themes").distinct().count() >= 8


def test_demo_accounts_exist_with_debug_on(settings):
    settings.DEBUG = True
    call_command("load_demo")
    users = {u.username: u for u in get_user_model().objects.all()}
    assert is_coordinator(users["coordinator"])
    assert users["asticude"].check_password(settings.DEMO_PASSWORD)
    assert users["acpp"].memberships.get().stakeholder.name == "ACPP"


def test_no_demo_account_is_made_with_debug_off_unless_asked(settings):
    settings.DEBUG = False
    call_command("load_demo")
    assert not get_user_model().objects.exists()
    call_command("load_demo", "--with-accounts")
    assert get_user_model().objects.count() == 3


def test_the_migration_week_has_events_with_participant_counts():
    call_command("load_demo")
    week = Event.objects.filter(series__slug="migration-week-nador-2019")
    assert week.count() >= 4
    trained = ParticipantCount.objects.get(
        event__kind="training",
        event__series__slug="migration-week-nador-2019",
        category="narrative_creators",
    )
    assert trained.count == 43
