"""Reference data every database needs: the Global Compact's 23 objectives and 10
guiding principles, the four cooperation levels and the Coordinators group.

Shared by the data migration (with its historical models) and by `load_demo`, which
puts it back where tests or a flush removed it.
"""

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
COOPERATION_LEVELS = ["local", "national", "regional", "international"]


def _rows(pattern: str, key: str) -> dict[str, dict[str, str]]:
    """The rows of every file matching `pattern`, merged by `key`: the English file and
    the files of other languages (columns such as `short_title_fr`)."""
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(DATA.glob(pattern)):
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                values = {name: text for name, text in row.items() if name != key and text}
                merged.setdefault(row[key], {}).update(values)
    return merged


def _with_english(values: dict[str, str], model) -> dict[str, str]:
    """Fill the English column of each translated field, keep only the model's fields (a
    migration's historical model may not have the translation columns yet)."""
    values = {**{f"{name}_en": text for name, text in values.items()}, **values}
    names = {field.name for field in model._meta.get_fields()}
    return {name: text for name, text in values.items() if name in names}


def load_reference_data(apps) -> None:
    GcmObjective = apps.get_model("practices", "GcmObjective")
    GuidingPrinciple = apps.get_model("practices", "GuidingPrinciple")
    CooperationLevel = apps.get_model("practices", "CooperationLevel")
    Group = apps.get_model("auth", "Group")
    for number, values in _rows("gcm_objectives*.csv", "number").items():
        GcmObjective.objects.update_or_create(
            number=int(number), defaults=_with_english(values, GcmObjective)
        )
    for slug, values in _rows("gcm_guiding_principles*.csv", "slug").items():
        GuidingPrinciple.objects.update_or_create(
            slug=slug, defaults=_with_english(values, GuidingPrinciple)
        )
    for position, code in enumerate(COOPERATION_LEVELS):
        CooperationLevel.objects.update_or_create(code=code, defaults={"position": position})
    Group.objects.get_or_create(name="Coordinators")
