"""Demo content: the real Nador practice record plus clearly marked sample records, so
that a fresh checkout shows a working knowledge base. Loading it twice changes nothing."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.text import slugify

from demo.practice_record import parse_practice_record
from events.models import Event, EventSeries, ParticipantCount
from practices.models import (
    CooperationLevel,
    GcmObjective,
    GuidingPrinciple,
    Indicator,
    InterventionArea,
    Practice,
    Programme,
    StakeholderRole,
    TargetGroup,
    Theme,
)
from practices.reference import load_reference_data
from publishing.access import COORDINATORS_GROUP
from publishing.workflow import Status
from search.index import refresh_all
from stakeholders.models import Membership, Stakeholder

SEED_FILE = Path(__file__).resolve().parent / "nador_seed.txt"
NADOR_SLUG = "social-and-sustainable-nador"
TZ = ZoneInfo("Africa/Casablanca")

# The seed words its priority objectives in its own way; they are GCM objectives 17
# (eliminate discrimination, evidence-based discourse) and 23 (international cooperation).
NADOR_OBJECTIVES = [17, 23]

THEMES = {
    "Intercultural dialogue": "Spaces and activities where residents and migrants meet.",
    "Public discourse and media": "Fair, ethical and evidence-based narratives on migration.",
    "Social inclusion": "Access of migrants to the social and economic life of the city.",
    "Access to basic services": "Health, education, housing and civil registration.",
    "Education and youth": "Schools, universities and youth organisations.",
    "Employment and livelihoods": "Skills, jobs and entrepreneurship.",
    "Gender equality": "Practices that address the situation of migrant women and girls.",
    "Culture and arts": "Festivals, exhibitions, music and film.",
    "Local governance and city cooperation": "Municipal policy and city-to-city exchange.",
    "Data and research": "Studies, mapping and monitoring of migration.",
}
TARGET_GROUPS = [
    "Migrants",
    "Refugees and asylum seekers",
    "Journalists and narrative creators",
    "Local residents",
    "Young people",
    "Women",
    "Local officials",
    "Civil society organisations",
]
AREAS = [
    "Awareness raising",
    "Training and capacity building",
    "Cultural activities",
    "Advocacy",
    "Direct services",
    "Research and documentation",
    "Networking and coordination",
    "Communication campaigns",
]
STAKEHOLDERS = [
    # name, kind, city, country, website, description
    (
        "ASTICUDE",
        "ngo",
        "Nador",
        "MA",
        "",
        "Association of Solidarity and Intercultural Cooperation for Development, Nador.",
    ),
    (
        "ACPP",
        "ngo",
        "Seville",
        "ES",
        "",
        "Asamblea de Cooperación por la Paz, a Spanish NGO working in Morocco.",
    ),
    ("Municipality of Nador", "municipality", "Nador", "MA", "", "The city council of Nador."),
    (
        "UCLG",
        "international",
        "Barcelona",
        "ES",
        "",
        "United Cities and Local Governments, which convenes the MC2CM city meetings.",
    ),
    (
        "Migrant collectives of Nador",
        "migrant_collective",
        "Nador",
        "MA",
        "",
        "Self-organised collectives of migrants living in the province of Nador.",
    ),
    (
        "Journalists of the Oriental region",
        "media",
        "Nador",
        "MA",
        "",
        "Journalists and narrative creators trained during the Migration Week.",
    ),
    (
        "National Mutual Aid (Entraide Nationale)",
        "public_institution",
        "Nador",
        "MA",
        "",
        "Moroccan public institution for social assistance.",
    ),
    (
        "Directorate of Education, Youth and Sports",
        "public_institution",
        "Nador",
        "MA",
        "",
        "Provincial directorate of the Moroccan ministry.",
    ),
    ("Sample: Tangier Youth Network", "ngo", "Tangier", "MA", "", "Sample organisation."),
    (
        "Sample: University of Oujda migration lab",
        "academia",
        "Oujda",
        "MA",
        "",
        "Sample organisation.",
    ),
    ("Sample: Tunis city council", "municipality", "Tunis", "TN", "", "Sample organisation."),
    ("Sample: Lyon intercultural centre", "other", "Lyon", "FR", "", "Sample organisation."),
]

SAMPLES = [
    # title, city, country, language, themes, groups, areas, objectives, principles,
    # levels, organisation, partner, start, end
    (
        "Sample: Neighbourhood intercultural cafés",
        "Tangier",
        "MA",
        "en",
        ["Intercultural dialogue", "Social inclusion"],
        ["Migrants", "Local residents"],
        ["Cultural activities"],
        [16],
        ["whole-of-society"],
        ["local"],
        "Sample: Tangier Youth Network",
        "ASTICUDE",
        date(2021, 3, 1),
        date(2022, 6, 30),
    ),
    (
        "Sample: Media guide for fair reporting on migration",
        "Nador",
        "MA",
        "en",
        ["Public discourse and media"],
        ["Journalists and narrative creators"],
        ["Training and capacity building"],
        [17],
        ["human-rights"],
        ["local", "national"],
        "ASTICUDE",
        "Journalists of the Oriental region",
        date(2020, 1, 15),
        date(2020, 12, 31),
    ),
    (
        "Sample: Guichet unique d'orientation des migrants",
        "Oujda",
        "MA",
        "fr",
        ["Access to basic services"],
        ["Migrants", "Refugees and asylum seekers"],
        ["Direct services"],
        [15, 3],
        ["people-centred"],
        ["local"],
        "Sample: University of Oujda migration lab",
        "National Mutual Aid (Entraide Nationale)",
        date(2019, 9, 1),
        None,
    ),
    (
        "Sample: Language and citizenship classes for newcomers",
        "Lyon",
        "FR",
        "en",
        ["Education and youth", "Social inclusion"],
        ["Migrants", "Young people"],
        ["Training and capacity building"],
        [16, 18],
        ["whole-of-society"],
        ["local"],
        "Sample: Lyon intercultural centre",
        "UCLG",
        date(2018, 9, 1),
        date(2021, 7, 1),
    ),
    (
        "Sample: Women migrants' entrepreneurship fund",
        "Tunis",
        "TN",
        "en",
        ["Employment and livelihoods", "Gender equality"],
        ["Women", "Migrants"],
        ["Direct services"],
        [6, 19],
        ["gender-responsive"],
        ["local", "national"],
        "Sample: Tunis city council",
        "UCLG",
        date(2022, 2, 1),
        date(2024, 1, 31),
    ),
    (
        "Sample: Festival de cine sobre migraciones",
        "Seville",
        "ES",
        "es",
        ["Culture and arts", "Intercultural dialogue"],
        ["Local residents", "Young people"],
        ["Cultural activities", "Awareness raising"],
        [17],
        ["whole-of-society"],
        ["local", "international"],
        "ACPP",
        "ASTICUDE",
        date(2021, 10, 1),
        date(2021, 10, 15),
    ),
    (
        "Sample: Mapping migrants' access to health care",
        "Oujda",
        "MA",
        "en",
        ["Data and research", "Access to basic services"],
        ["Migrants", "Local officials"],
        ["Research and documentation"],
        [1, 15],
        ["people-centred"],
        ["national"],
        "Sample: University of Oujda migration lab",
        "Municipality of Nador",
        date(2020, 5, 1),
        date(2021, 4, 30),
    ),
    (
        "Sample: City-to-city peer learning on migrant reception",
        "Tunis",
        "TN",
        "en",
        ["Local governance and city cooperation"],
        ["Local officials"],
        ["Networking and coordination"],
        [23],
        ["international-cooperation"],
        ["regional", "international"],
        "Sample: Tunis city council",
        "UCLG",
        date(2019, 2, 1),
        date(2019, 11, 30),
    ),
    (
        "Sample: Youth ambassadors against discrimination",
        "Nador",
        "MA",
        "en",
        ["Education and youth", "Public discourse and media"],
        ["Young people"],
        ["Awareness raising", "Communication campaigns"],
        [17, 16],
        ["child-sensitive"],
        ["local"],
        "ASTICUDE",
        "Directorate of Education, Youth and Sports",
        date(2022, 9, 1),
        date(2023, 6, 30),
    ),
    (
        "Sample: Municipal migration observatory",
        "Nador",
        "MA",
        "en",
        ["Data and research", "Local governance and city cooperation"],
        ["Local officials"],
        ["Research and documentation", "Networking and coordination"],
        [1, 23],
        ["whole-of-government"],
        ["local", "national"],
        "Municipality of Nador",
        "ASTICUDE",
        date(2023, 1, 1),
        None,
    ),
    (
        "Sample: Legal clinics for asylum seekers",
        "Seville",
        "ES",
        "en",
        ["Access to basic services"],
        ["Refugees and asylum seekers"],
        ["Direct services"],
        [4, 14],
        ["rule-of-law"],
        ["local"],
        "ACPP",
        "Sample: Lyon intercultural centre",
        date(2017, 4, 1),
        date(2020, 3, 31),
    ),
    (
        "Sample: Campagne « Nous sommes Nador »",
        "Nador",
        "MA",
        "fr",
        ["Public discourse and media", "Intercultural dialogue"],
        ["Local residents"],
        ["Communication campaigns"],
        [17],
        ["whole-of-society"],
        ["local"],
        "Migrant collectives of Nador",
        "ASTICUDE",
        date(2024, 12, 10),
        date(2024, 12, 20),
    ),
    (
        "Sample: Vocational training with local employers",
        "Lyon",
        "FR",
        "en",
        ["Employment and livelihoods"],
        ["Migrants", "Young people"],
        ["Training and capacity building"],
        [18, 6],
        ["sustainable-development"],
        ["local"],
        "Sample: Lyon intercultural centre",
        "Sample: Tangier Youth Network",
        date(2021, 1, 1),
        date(2022, 12, 31),
    ),
]

SAMPLE_TEXT = (
    "Sample content, written to show how the knowledge base works; it does not describe a "
    "real project. {title} brought together {org} and its partners in {city} to work with "
    "{groups}."
)


def _by_name(model, names):
    return list(model.objects.filter(name__in=names))


def load_taxonomies() -> None:
    for name, description in THEMES.items():
        Theme.objects.update_or_create(
            slug=slugify(name), defaults={"name": name, "description": description}
        )
    for model, names in ((TargetGroup, TARGET_GROUPS), (InterventionArea, AREAS)):
        for name in names:
            model.objects.update_or_create(slug=slugify(name), defaults={"name": name})
    Programme.objects.update_or_create(
        slug="mc2cm",
        defaults={
            "name": "MC2CM",
            "description": "Mediterranean City-to-City Migration programme.",
        },
    )
    for name, kind, city, country, website, description in STAKEHOLDERS:
        Stakeholder.objects.update_or_create(
            slug=slugify(name),
            defaults={
                "name": name,
                "kind": kind,
                "city": city,
                "country": country,
                "website": website,
                "description": description,
            },
        )


def _publish_fields(published: datetime) -> dict:
    return {"status": Status.PUBLISHED, "published_at": published}


def load_nador_practice() -> Practice:
    record = parse_practice_record(SEED_FILE.read_text(encoding="utf-8"))
    asticude = Stakeholder.objects.get(slug="asticude")
    practice, _ = Practice.objects.update_or_create(
        slug=NADOR_SLUG,
        defaults={
            "title": record["title"],
            "summary": record["summary"],
            "impact": record["impact"],
            "lessons_learnt": record["lessons_learnt"],
            "city": record["location"].split(",")[0],
            "local_government": record["local_government"],
            "country": "MA",
            "mayor": record["mayor"],
            "start_date": None,
            "end_date": None,
            "programme": Programme.objects.get(slug="mc2cm"),
            "language": "en",
            "organisation": asticude,
            "is_sample": False,
            **_publish_fields(datetime(2020, 1, 15, 10, tzinfo=TZ)),
        },
    )
    practice.objectives.set(GcmObjective.objects.filter(number__in=NADOR_OBJECTIVES))
    practice.themes.set(
        _by_name(
            Theme,
            ["Intercultural dialogue", "Public discourse and media", "Social inclusion"],
        )
    )
    practice.target_groups.set(
        _by_name(TargetGroup, ["Journalists and narrative creators", "Migrants", "Local residents"])
    )
    practice.areas.set(
        _by_name(
            InterventionArea,
            ["Training and capacity building", "Awareness raising", "Cultural activities"],
        )
    )
    practice.principles.set(
        GuidingPrinciple.objects.filter(slug__in=["whole-of-society", "international-cooperation"])
    )
    practice.cooperation_levels.set(CooperationLevel.objects.all())
    roles = [
        ("asticude", "lead"),
        ("acpp", "partner"),
        ("municipality-of-nador", "partner"),
        ("uclg", "supporter"),
        ("migrant-collectives-of-nador", "partner"),
        ("journalists-of-the-oriental-region", "partner"),
        ("national-mutual-aid-entraide-nationale", "supporter"),
        ("directorate-of-education-youth-and-sports", "supporter"),
    ]
    _set_roles(practice, roles)
    Indicator.objects.update_or_create(
        practice=practice,
        label="Narrative creators trained",
        defaults={"target": Decimal(40), "achieved": Decimal(43), "unit": "people", "position": 0},
    )
    return practice


def _set_roles(practice: Practice, roles: list[tuple[str, str]]) -> None:
    wanted = {(slug, role) for slug, role in roles}
    for role in practice.roles.select_related("stakeholder"):
        if (role.stakeholder.slug, role.role) not in wanted:
            role.delete()
    for slug, role in roles:
        StakeholderRole.objects.get_or_create(
            practice=practice, stakeholder=Stakeholder.objects.get(slug=slug), role=role
        )


def load_samples() -> None:
    for index, sample in enumerate(SAMPLES):
        (
            title,
            city,
            country,
            language,
            themes,
            groups,
            areas,
            objectives,
            principles,
            levels,
            organisation,
            partner,
            start,
            end,
        ) = sample
        org = Stakeholder.objects.get(name=organisation)
        practice, _ = Practice.objects.update_or_create(
            slug=slugify(title),
            defaults={
                "title": title,
                "summary": SAMPLE_TEXT.format(
                    title=title.removeprefix("Sample: "),
                    org=organisation,
                    city=city,
                    groups=", ".join(groups).lower(),
                ),
                "impact": "Sample content: an illustrative description of the results.",
                "lessons_learnt": "Sample content: what worked and what did not.",
                "city": city,
                "local_government": city,
                "country": country,
                "start_date": start,
                "end_date": end,
                "programme": Programme.objects.get(slug="mc2cm") if index % 2 == 0 else None,
                "language": language,
                "organisation": org,
                "is_sample": True,
                **_publish_fields(datetime(2021, 1, 1 + index, 9, tzinfo=TZ)),
            },
        )
        practice.themes.set(_by_name(Theme, themes))
        practice.target_groups.set(_by_name(TargetGroup, groups))
        practice.areas.set(_by_name(InterventionArea, areas))
        practice.objectives.set(GcmObjective.objects.filter(number__in=objectives))
        practice.principles.set(GuidingPrinciple.objects.filter(slug__in=principles))
        practice.cooperation_levels.set(CooperationLevel.objects.filter(code__in=levels))
        _set_roles(practice, [(org.slug, "lead"), (slugify(partner), "partner")])
    _load_unpublished_samples()


def _load_unpublished_samples() -> None:
    """A draft of each NGO, so that the partner workspace and review have something."""
    for slug, org_slug, status in [
        ("sample-draft-welcome-guide", "asticude", Status.DRAFT),
        ("sample-submitted-school-twinning", "acpp", Status.SUBMITTED),
    ]:
        practice, _ = Practice.objects.update_or_create(
            slug=slug,
            defaults={
                "title": f"Sample: {slug.removeprefix('sample-').replace('-', ' ').capitalize()}",
                "summary": "Sample content: unpublished work of a partner organisation.",
                "city": "Nador",
                "country": "MA",
                "organisation": Stakeholder.objects.get(slug=org_slug),
                "is_sample": True,
                "status": status,
                "published_at": None,
            },
        )
        practice.themes.set(_by_name(Theme, ["Social inclusion"]))


MIGRATION_WEEKS = [
    (
        "Migration Week Nador 2019",
        2019,
        [
            (
                "Training of narrative creators on migration reporting",
                "training",
                datetime(2019, 12, 16, 9),
                datetime(2019, 12, 17, 17),
                "Nador cultural centre",
                {"narrative_creators": 43, "officials": 4},
                40,
            ),
            (
                "Debate: a fair public discourse on migration",
                "debate",
                datetime(2019, 12, 18, 17),
                datetime(2019, 12, 18, 20),
                "Nador town hall",
                {"local_residents": 60, "migrants": 25, "officials": 8, "students": 30},
                100,
            ),
            (
                "Intercultural festival for International Migrants Day",
                "cultural",
                datetime(2019, 12, 18, 10),
                datetime(2019, 12, 18, 22),
                "Nador seafront",
                {"local_residents": 250, "migrants": 120, "other": 30},
                300,
            ),
            (
                "Media campaign: Nador, a city of encounters",
                "media_campaign",
                datetime(2019, 12, 14, 9),
                datetime(2019, 12, 21, 18),
                "Online and local radio",
                {"narrative_creators": 12},
                None,
            ),
            (
                "Meeting of the coordinating and monitoring committee",
                "meeting",
                datetime(2019, 12, 20, 10),
                datetime(2019, 12, 20, 13),
                "ASTICUDE office",
                {"officials": 6, "other": 9},
                15,
            ),
        ],
    ),
    (
        "Migration Week Nador 2026",
        2026,
        [
            (
                "Workshop: reporting on migration without stereotypes",
                "workshop",
                datetime(2026, 12, 14, 9),
                datetime(2026, 12, 14, 17),
                "Nador cultural centre",
                {},
                40,
            ),
            (
                "Debate: ten years of city-to-city cooperation",
                "debate",
                datetime(2026, 12, 16, 17),
                datetime(2026, 12, 16, 20),
                "Nador town hall",
                {},
                120,
            ),
            (
                "Intercultural festival for International Migrants Day 2026",
                "cultural",
                datetime(2026, 12, 18, 10),
                datetime(2026, 12, 18, 22),
                "Nador seafront",
                {},
                400,
            ),
        ],
    ),
]


def load_events(nador: Practice) -> None:
    asticude = Stakeholder.objects.get(slug="asticude")
    organisers = Stakeholder.objects.filter(slug__in=["asticude", "acpp", "municipality-of-nador"])
    for series_name, year, events in MIGRATION_WEEKS:
        series, _ = EventSeries.objects.update_or_create(
            slug=slugify(series_name),
            defaults={
                "name": series_name,
                "year": year,
                "description": "A week of trainings, debates and cultural activities in Nador.",
            },
        )
        for title, kind, starts, ends, venue, counts, expected in events:
            event, _ = Event.objects.update_or_create(
                slug=slugify(title),
                defaults={
                    "title": title,
                    "kind": kind,
                    "series": series,
                    "starts_at": starts.replace(tzinfo=TZ),
                    "ends_at": ends.replace(tzinfo=TZ),
                    "venue": venue,
                    "city": "Nador",
                    "country": "MA",
                    "description": f"Part of the {series_name}.",
                    "organisation": asticude,
                    "expected_participants": expected,
                    "is_sample": year != 2019,
                    **_publish_fields(datetime(year, 11, 1, 9, tzinfo=TZ)),
                },
            )
            event.organisers.set(organisers)
            event.practices.set([nador])
            event.participant_counts.exclude(category__in=counts).delete()
            for category, count in counts.items():
                ParticipantCount.objects.update_or_create(
                    event=event, category=category, defaults={"count": count}
                )


DEMO_ACCOUNTS = [
    # username, organisation slug (None for the coordinator)
    ("coordinator", None),
    ("asticude", "asticude"),
    ("acpp", "acpp"),
]


def load_accounts(password: str) -> list[str]:
    User = get_user_model()
    coordinators, _ = Group.objects.get_or_create(name=COORDINATORS_GROUP)
    made = []
    for username, organisation in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"}
        )
        if created:
            user.set_password(password)
            user.save()
            made.append(username)
        if organisation is None:
            user.groups.add(coordinators)
        else:
            Membership.objects.get_or_create(
                user=user, stakeholder=Stakeholder.objects.get(slug=organisation)
            )
    return made


@transaction.atomic
def load_demo(accounts_password: str | None) -> None:
    load_reference_data(apps)
    load_taxonomies()
    nador = load_nador_practice()
    load_samples()
    load_events(nador)
    refresh_all()
    if accounts_password:
        load_accounts(accounts_password)
