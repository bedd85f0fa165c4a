"""Demo content: the real Nador practice record plus clearly marked sample records, so
that a fresh checkout shows a working knowledge base. Loading it twice changes nothing.

The content itself is in demo/data/ (see its README); this module writes it. Records are
written in the order the files list them, so a fresh database always gets the same ids.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import translation

from demo.data_files import (
    DATA_DIR,
    DataFile,
    Record,
    find,
    model_values,
    required,
    save_if_changed,
    write,
)
from demo.practice_record import parse_practice_record
from events.models import Event, EventSeries, ParticipantCount
from practices.models import (
    Indicator,
    InterventionArea,
    Practice,
    PracticeTranslation,
    Programme,
    StakeholderRole,
    TargetGroup,
    Theme,
)
from practices.reference import load_reference_data
from publishing.access import COORDINATORS_GROUP
from search.index import refresh_all
from stakeholders.models import Membership, Stakeholder

SEED_FILE = DATA_DIR / "nador_seed.txt"
NADOR_SLUG = "social-and-sustainable-nador"  # the slug nador_practice.json gives it

TAXONOMIES = [
    ("themes", Theme),
    ("target_groups", TargetGroup),
    ("intervention_areas", InterventionArea),
    ("programmes", Programme),
]


@translation.override("en")
def load_taxonomies() -> None:
    """Themes, target groups, intervention areas, programmes and stakeholders: what
    practices and events refer to (also the base of perf/benchdata.py)."""
    taxonomies = DataFile.read("taxonomies.json")
    for section, model in TAXONOMIES:
        for record in taxonomies.records(section, str(model._meta.verbose_name)):
            write(record, model)
    for record in DataFile.read("stakeholders.json").records("stakeholders", "stakeholder"):
        write(record, Stakeholder)


def load_nador_practice() -> Practice:
    """The real practice: its text as the seed gives it, the rest from nador_practice.json."""
    record = DataFile.read("nador_practice.json").record("practice", "practice")
    seed = parse_practice_record(SEED_FILE.read_text(encoding="utf-8"))
    return _load_practice(
        record,
        title=seed["title"],
        summary=seed["summary"],
        impact=seed["impact"],
        lessons_learnt=seed["lessons_learnt"],
        city=seed["location"].split(",")[0],
        local_government=seed["local_government"],
        mayor=seed["mayor"],
    )


def load_samples() -> None:
    for record in DataFile.read("sample_practices.json").records("practices", "practice"):
        _load_practice(record)


def _load_practice(record: Record, **from_seed: str) -> Practice:
    practice = write(record, Practice, skip={"roles", "indicators", "translations"}, **from_seed)
    if "roles" in record.values:
        _set_roles(practice, record.children("roles", "role"))
    for indicator in record.children("indicators", "indicator"):
        values = required(indicator, model_values(indicator, Indicator)[0], "label")
        Indicator.objects.update_or_create(
            practice=practice, label=values.pop("label"), defaults=values
        )
    for translated in record.children("translations", "translation"):
        _set_translation(practice, translated)
    return practice


def _set_translation(practice: Practice, record: Record) -> None:
    """A translation of the practice's texts; its indicator labels are keyed by the
    original label in the file, by indicator in the database."""
    values, _ = model_values(record, PracticeTranslation, skip={"indicator_labels"})
    values = required(record, values, "language", "title", "summary")
    by_label = {indicator.label: str(indicator.pk) for indicator in practice.indicators.all()}
    labels = record.values.get("indicator_labels", {})
    unknown = set(labels) - set(by_label)
    if unknown:
        record.fail(f"'indicator_labels': no indicator labelled {sorted(unknown)[0]!r}")
    values["indicator_labels"] = {by_label[label]: text for label, text in labels.items()}
    save_if_changed(
        PracticeTranslation, {"practice": practice, "language": values.pop("language")}, values
    )


def _set_roles(practice: Practice, records: list[Record]) -> None:
    """Make the practice's roles exactly those listed, leaving the ones kept untouched."""
    roles = [
        required(record, model_values(record, StakeholderRole)[0], "stakeholder", "role")
        for record in records
    ]
    wanted = {(role["stakeholder"].pk, role["role"]) for role in roles}
    for role in practice.roles.all():
        if (role.stakeholder_id, role.role) not in wanted:
            role.delete()
    for role in roles:
        StakeholderRole.objects.get_or_create(
            practice=practice, stakeholder=role["stakeholder"], role=role["role"]
        )


def load_events(nador: Practice) -> None:
    """The Migration Weeks of events.json, every event linked to the Nador practice."""
    for series_record in DataFile.read("events.json").records("series", "event series"):
        series = write(series_record, EventSeries, skip={"events"})
        for record in series_record.children("events", "event"):
            event = write(record, Event, skip={"participant_counts"}, series=series)
            event.practices.set([nador])
            _set_counts(event, record)


def _set_counts(event: Event, record: Record) -> None:
    if "participant_counts" not in record.values:
        return
    counts = record.values["participant_counts"]
    if not isinstance(counts, dict):
        record.fail("'participant_counts': expected an object of category: count")
    event.participant_counts.exclude(category__in=counts).delete()
    for category, count in counts.items():
        count_record = record.child("count", {"category": category, "count": count})
        values, _ = model_values(count_record, ParticipantCount)
        ParticipantCount.objects.update_or_create(
            event=event, category=values["category"], defaults={"count": values["count"]}
        )


def _account_records() -> list[Record]:
    return DataFile.read("accounts.json").records("accounts", "account")


def demo_usernames() -> list[str]:
    return [record.values.get("username", "") for record in _account_records()]


def load_accounts(password: str) -> list[str]:
    """Make the demo accounts that do not exist yet (an existing one keeps its password);
    return the usernames made."""
    User = get_user_model()
    coordinators, _ = Group.objects.get_or_create(name=COORDINATORS_GROUP)
    made = []
    for record in _account_records():
        values, _ = model_values(record, User, skip={"coordinator", "organisation"})
        user, created = User.objects.get_or_create(
            username=required(record, values, "username").pop("username"), defaults=values
        )
        if created:
            user.set_password(password)
            user.save()
            made.append(user.username)
        coordinator = record.values.get("coordinator", False)
        if not isinstance(coordinator, bool):
            record.fail("'coordinator': expected true or false")
        if coordinator:
            user.groups.add(coordinators)
        if "organisation" in record.values:
            organisation = record.values["organisation"]
            stakeholder = find(record, Stakeholder, [organisation], "organisation")[0]
            Membership.objects.get_or_create(user=user, stakeholder=stakeholder)
    return made


@transaction.atomic
@translation.override("en")
def load_demo(accounts_password: str | None) -> None:
    # In English whatever the caller's language: a category's untranslated column, which
    # django-modeltranslation fills from the active language on save, keeps its English name.
    load_reference_data(apps)
    load_taxonomies()
    nador = load_nador_practice()
    load_samples()
    load_events(nador)
    refresh_all()
    if accounts_password:
        load_accounts(accounts_password)
