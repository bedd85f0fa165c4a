"""Reference data every database needs: the Global Compact's 23 objectives and 10
guiding principles, the four cooperation levels and the Coordinators group.

Shared by the data migration (with its historical models) and by `load_demo`, which
puts it back where tests or a flush removed it.
"""

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
COOPERATION_LEVELS = ["local", "national", "regional", "international"]


def load_reference_data(apps) -> None:
    GcmObjective = apps.get_model("practices", "GcmObjective")
    GuidingPrinciple = apps.get_model("practices", "GuidingPrinciple")
    CooperationLevel = apps.get_model("practices", "CooperationLevel")
    Group = apps.get_model("auth", "Group")
    with open(DATA / "gcm_objectives.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            GcmObjective.objects.update_or_create(
                number=int(row["number"]),
                defaults={"short_title": row["short_title"], "title": row["title"]},
            )
    with open(DATA / "gcm_guiding_principles.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            GuidingPrinciple.objects.update_or_create(
                slug=row["slug"], defaults={"title": row["title"]}
            )
    for position, code in enumerate(COOPERATION_LEVELS):
        CooperationLevel.objects.update_or_create(code=code, defaults={"position": position})
    Group.objects.get_or_create(name="Coordinators")
