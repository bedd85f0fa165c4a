"""A small hand-counted knowledge base for the public pages' tests.

published: cafes (themes dialogue+inclusion, MA Nador, 2020-2021, obj 16, ASTICUDE lead,
           local, MC2CM, migrants, cultural activities, whole-of-society)
           media (theme media, MA Oujda, 2022-open, obj 17, ACPP partner + municipality,
           national)
           festival (themes dialogue+media, ES Seville, 2019, obj 17+23, ACPP lead,
           ASTICUDE partner, local)
unpublished: one practice in each other status, with the dialogue theme in MA.
"""

from datetime import date

from django.apps import apps as django_apps
from django.utils import timezone

from practices.models import (
    CooperationLevel,
    GcmObjective,
    GuidingPrinciple,
    InterventionArea,
    Practice,
    Programme,
    StakeholderRole,
    Status,
    TargetGroup,
    Theme,
)
from practices.reference import load_reference_data
from search import fulltext
from tests.conftest import make_practice, make_stakeholder

UNPUBLISHED = [Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.ARCHIVED]


def build(asticude, acpp) -> dict:
    # The objectives, principles and levels come from a data migration, which a
    # transactional test run before this one (a browser test) may have emptied.
    load_reference_data(django_apps)
    dialogue = Theme.objects.create(name="Intercultural dialogue", slug="dialogue")
    media = Theme.objects.create(name="Public discourse and media", slug="media")
    inclusion = Theme.objects.create(name="Social inclusion", slug="inclusion")
    municipality = make_stakeholder("Municipality of Nador", kind="municipality")
    mc2cm = Programme.objects.create(name="MC2CM", slug="mc2cm")
    migrants = TargetGroup.objects.create(name="Migrants", slug="migrants")
    cultural = InterventionArea.objects.create(name="Cultural activities", slug="cultural")
    objectives = {o.number: o for o in GcmObjective.objects.filter(number__in=[16, 17, 23])}
    local = CooperationLevel.objects.get(code="local")
    national = CooperationLevel.objects.get(code="national")
    principle = GuidingPrinciple.objects.get(slug="whole-of-society")

    now = timezone.now()
    cafes = make_practice(
        asticude,
        "Intercultural cafés in Nador",
        city="Nador",
        country="MA",
        start_date=date(2020, 1, 1),
        end_date=date(2021, 12, 31),
        programme=mc2cm,
        published_at=now - timezone.timedelta(days=3),
    )
    cafes.themes.set([dialogue, inclusion])
    cafes.objectives.set([objectives[16]])
    cafes.cooperation_levels.set([local])
    cafes.target_groups.set([migrants])
    cafes.areas.set([cultural])
    cafes.principles.set([principle])
    StakeholderRole.objects.create(practice=cafes, stakeholder=asticude, role="lead")

    media_training = make_practice(
        acpp,
        "Media training on migration",
        city="Oujda",
        country="MA",
        start_date=date(2022, 3, 1),
        published_at=now - timezone.timedelta(days=2),
    )
    media_training.themes.set([media])
    media_training.objectives.set([objectives[17]])
    media_training.cooperation_levels.set([national])
    StakeholderRole.objects.create(practice=media_training, stakeholder=acpp, role="partner")
    StakeholderRole.objects.create(
        practice=media_training, stakeholder=municipality, role="supporter"
    )

    festival = make_practice(
        acpp,
        "Film festival on migrations",
        city="Seville",
        country="ES",
        start_date=date(2019, 5, 1),
        end_date=date(2019, 6, 1),
        published_at=now - timezone.timedelta(days=1),
    )
    festival.themes.set([dialogue, media])
    festival.objectives.set([objectives[17], objectives[23]])
    festival.cooperation_levels.set([local])
    StakeholderRole.objects.create(practice=festival, stakeholder=acpp, role="lead")
    StakeholderRole.objects.create(practice=festival, stakeholder=asticude, role="partner")

    hidden = {}
    for status in UNPUBLISHED:
        practice = make_practice(
            asticude,
            f"Hidden {status} practice",
            status=status,
            city="Nador",
            country="MA",
            start_date=date(2020, 1, 1),
        )
        practice.themes.set([dialogue])
        StakeholderRole.objects.create(practice=practice, stakeholder=asticude, role="lead")
        hidden[status] = practice
    fulltext.write_vectors(Practice.objects.all())
    return {
        "cafes": cafes,
        "media": media_training,
        "festival": festival,
        "hidden": hidden,
        "municipality": municipality,
    }
