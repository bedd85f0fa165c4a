import json
import re
import shutil
from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import models

from demo import data_files
from demo.loader import NADOR_SLUG, SEED_FILE
from demo.practice_record import parse_practice_record
from events.models import Event, EventSeries, ParticipantCount
from practices.models import (
    Indicator,
    InterventionArea,
    Practice,
    Programme,
    StakeholderRole,
    TargetGroup,
    Theme,
)
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


def test_the_nador_practice_has_a_french_translation_shown_as_one(client):
    call_command("load_demo")
    nador = Practice.objects.get(slug=NADOR_SLUG)
    assert nador.language == "en"
    translation = nador.translations.get()
    assert (translation.language, translation.is_published) == ("fr", True)
    indicator = nador.indicators.get()
    assert translation.indicator_labels == {str(indicator.pk): "Créateurs de récits formés"}
    french = client.get(f"/fr/practices/{NADOR_SLUG}/").content.decode()
    assert translation.title in french and "Lire l’original" in french
    assert "Créateurs de récits formés" in french
    english = client.get(f"/en/practices/{NADOR_SLUG}/").content.decode()
    assert nador.title in english and "language-note" not in english


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


# The data files, read here without the loader's help, to check what it wrote.
DATA_DIR = data_files.DATA_DIR
CASABLANCA = ZoneInfo("Africa/Casablanca")
# How the data files refer to linked records.
LINK_KEYS = {
    "themes": "slug",
    "target_groups": "slug",
    "areas": "slug",
    "principles": "slug",
    "objectives": "number",
    "cooperation_levels": "code",
    "organisers": "slug",
}
NESTED = {"_comment", "roles", "indicators", "events", "participant_counts", "translations"}


def data(name: str) -> dict:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def as_in_file(obj: models.Model, record: dict) -> dict:
    """The object's values of the record's fields, written the way the data files write them
    (links as sorted keys: the database keeps no order)."""
    seen = {}
    for name in record.keys() - NESTED:
        value = getattr(obj, name)
        if name in LINK_KEYS:
            value = sorted(value.values_list(LINK_KEYS[name], flat=True))
        elif isinstance(value, models.Model):
            value = value.slug
        elif isinstance(value, datetime):
            value = value.astimezone(CASABLANCA).replace(tzinfo=None).isoformat()
        elif isinstance(value, date):
            value = value.isoformat()
        elif name == "country":
            value = value.code
        seen[name] = value
    return seen


def as_written(record: dict) -> dict:
    return {
        name: sorted(value) if isinstance(value, list) else value
        for name, value in record.items()
        if name not in NESTED
    }


def test_every_taxonomy_and_stakeholder_of_the_data_files_is_loaded():
    call_command("load_demo")
    taxonomies = data("taxonomies.json")
    sections = [
        (taxonomies["themes"], Theme),
        (taxonomies["target_groups"], TargetGroup),
        (taxonomies["intervention_areas"], InterventionArea),
        (taxonomies["programmes"], Programme),
        (data("stakeholders.json")["stakeholders"], Stakeholder),
    ]
    for records, model in sections:
        assert model.objects.count() == len(records)
        for record in records:
            assert as_in_file(model.objects.get(slug=record["slug"]), record) == record


def test_every_practice_of_the_data_files_is_loaded_with_its_links_roles_and_indicators():
    call_command("load_demo")
    nador = data("nador_practice.json")["practice"]
    samples = data("sample_practices.json")["practices"]
    assert Practice.objects.count() == 1 + len(samples)
    for record in [nador, *samples]:
        practice = Practice.objects.get(slug=record["slug"])
        assert as_in_file(practice, record) == as_written(record)
        roles = practice.roles.values_list("stakeholder__slug", "role")
        assert sorted(roles) == sorted(
            (r["stakeholder"], r["role"]) for r in record.get("roles", [])
        )
        indicators = practice.indicators.values("label", "target", "achieved", "unit", "position")
        assert list(indicators) == record.get("indicators", [])
        translations = practice.translations.values("language", "title", "summary", "impact")
        assert list(translations) == [
            {name: t[name] for name in ("language", "title", "summary", "impact")}
            for t in record.get("translations", [])
        ]
    # The file's local times are Casablanca's, whatever the season.
    assert Practice.objects.get(slug=NADOR_SLUG).published_at == datetime(
        2020, 1, 15, 10, tzinfo=CASABLANCA
    )
    drafts = Practice.objects.filter(published_at=None).order_by("slug")
    assert [(p.slug, p.status, p.is_sample) for p in drafts] == [
        ("sample-draft-welcome-guide", "draft", True),
        ("sample-submitted-school-twinning", "submitted", True),
    ]


def test_every_event_of_the_data_files_is_loaded_and_linked_to_the_nador_practice():
    call_command("load_demo")
    series = data("events.json")["series"]
    assert EventSeries.objects.count() == len(series)
    assert Event.objects.count() == sum(len(s["events"]) for s in series)
    for series_record in series:
        assert as_in_file(
            EventSeries.objects.get(slug=series_record["slug"]), series_record
        ) == as_written(series_record)
        for record in series_record["events"]:
            event = Event.objects.get(slug=record["slug"])
            assert event.series.slug == series_record["slug"]
            assert as_in_file(event, record) == as_written(record)
            assert list(event.practices.values_list("slug", flat=True)) == [NADOR_SLUG]
            counts = dict(event.participant_counts.values_list("category", "count"))
            assert counts == record["participant_counts"]
    training = Event.objects.get(slug="training-of-narrative-creators-on-migration-reporting")
    assert training.starts_at == datetime(2019, 12, 16, 9, tzinfo=CASABLANCA)


def test_every_account_of_the_data_file_is_made(settings):
    settings.DEBUG = True
    call_command("load_demo")
    accounts = data("accounts.json")["accounts"]
    users = get_user_model().objects.order_by("pk")
    assert [(u.username, u.email) for u in users] == [(a["username"], a["email"]) for a in accounts]
    for account, user in zip(accounts, users, strict=True):
        assert is_coordinator(user) == account.get("coordinator", False)
        assert list(user.memberships.values_list("stakeholder__slug", flat=True)) == (
            [account["organisation"]] if "organisation" in account else []
        )


def snapshot() -> dict[str, list]:
    """Every row the demo writes, links included, but for updated_at (a reload saves)."""
    User = get_user_model()
    tables: list[type[models.Model]] = [
        Theme,
        TargetGroup,
        InterventionArea,
        Programme,
        Stakeholder,
        Practice,
        StakeholderRole,
        Indicator,
        EventSeries,
        Event,
        ParticipantCount,
        Membership,
        User,
        Group,
    ]
    for model, names in [
        (Practice, ["themes", "target_groups", "areas", "objectives", "principles"]),
        (Practice, ["cooperation_levels"]),
        (Event, ["organisers", "practices"]),
        (User, ["groups"]),
    ]:
        tables += [getattr(model, name).through for name in names]
    return {
        model._meta.db_table: [
            {k: v for k, v in row.items() if k != "updated_at"}
            for row in model.objects.order_by("pk").values()
        ]
        for model in tables
    }


def test_loading_twice_leaves_every_row_and_value_unchanged(settings):
    settings.DEBUG = True
    call_command("load_demo")
    first = snapshot()
    call_command("load_demo")
    assert snapshot() == first
    assert len(first["practices_practice"]) == 16 and len(first["events_event"]) == 8


def copy_of_the_data(tmp_path, monkeypatch, name: str, change: Callable[[dict], object]) -> None:
    """Point the loader at a copy of the data files, with `change` made to one of them."""
    shutil.copytree(DATA_DIR, tmp_path, dirs_exist_ok=True)
    content = json.loads((tmp_path / name).read_text(encoding="utf-8"))
    change(content)
    (tmp_path / name).write_text(json.dumps(content, indent=2, ensure_ascii=False), "utf-8")
    monkeypatch.setattr(data_files, "DATA_DIR", tmp_path)


def first_sample(content: dict) -> dict:
    return content["practices"][0]


def first_event(content: dict) -> dict:
    return content["series"][0]["events"][0]


CAFES = "sample_practices.json, practice 'sample-neighbourhood-intercultural-cafes'"
TRAINING = (
    "events.json, event series 'migration-week-nador-2019', "
    "event 'training-of-narrative-creators-on-migration-reporting'"
)


@pytest.mark.parametrize(
    ("name", "change", "message"),
    [
        (
            "sample_practices.json",
            lambda content: first_sample(content)["themes"].append("no-such-theme"),
            f"{CAFES}: 'themes': no theme with slug 'no-such-theme'",
        ),
        (
            "nador_practice.json",
            lambda content: content["practice"]["roles"][1].update(stakeholder="nobody"),
            "nador_practice.json, practice 'social-and-sustainable-nador', role 'nobody': "
            "'stakeholder': no stakeholder with slug 'nobody'",
        ),
        (
            "events.json",
            lambda content: first_event(content).update(titel="A typo"),
            f"{TRAINING}: 'titel' is not a field of events",
        ),
        (
            "stakeholders.json",
            lambda content: content["stakeholders"][0].update(kind="charity"),
            "stakeholders.json, stakeholder 'asticude': kind: "
            "Value 'charity' is not a valid choice.",
        ),
        (
            "sample_practices.json",
            lambda content: first_sample(content).update(published_at="2021-01-01T09:00:00+00:00"),
            f"{CAFES}: published_at: write the local time without an offset",
        ),
        (
            "accounts.json",
            lambda content: content["accounts"][2].update(organisation="acp"),
            "accounts.json, account 'acpp': 'organisation': no stakeholder with slug 'acp'",
        ),
    ],
)
def test_a_record_the_loader_cannot_place_stops_the_load_naming_file_and_record(
    settings, tmp_path, monkeypatch, name, change, message
):
    settings.DEBUG = True
    copy_of_the_data(tmp_path, monkeypatch, name, change)
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("load_demo")
    # Nothing half-loaded: the records written before the faulty one are gone again.
    assert not Stakeholder.objects.exists()
    assert not Practice.objects.exists()
    assert not get_user_model().objects.exists()


def test_loading_an_edited_data_file_updates_the_records_in_place(tmp_path, monkeypatch):
    call_command("load_demo")
    cafes = Practice.objects.get(slug="sample-neighbourhood-intercultural-cafes")

    def edit(content: dict) -> None:
        sample = first_sample(content)
        sample["themes"] = ["culture-and-arts"]
        sample["roles"] = [{"stakeholder": "acpp", "role": "lead"}]
        sample["city"] = "Tetouan"

    copy_of_the_data(tmp_path, monkeypatch, "sample_practices.json", edit)
    call_command("load_demo")
    assert Practice.objects.count() == 16
    cafes.refresh_from_db()
    assert cafes.city == "Tetouan"
    assert list(cafes.themes.values_list("slug", flat=True)) == ["culture-and-arts"]
    assert list(cafes.roles.values_list("stakeholder__slug", "role")) == [("acpp", "lead")]
