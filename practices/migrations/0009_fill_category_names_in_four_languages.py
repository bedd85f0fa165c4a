"""Every category's English name moves into its `_en` column, and the GCM objectives and
guiding principles get their French, Spanish and Arabic names (practices/data)."""

from django.db import migrations

from practices.reference import load_reference_data

TRANSLATED = {
    "Theme": ("name", "description"),
    "TargetGroup": ("name", "description"),
    "InterventionArea": ("name", "description"),
    "Programme": ("name", "description"),
}


def fill(apps, schema_editor):
    for model_name, fields in TRANSLATED.items():
        model = apps.get_model("practices", model_name)
        for row in model.objects.all():
            for field in fields:
                if not getattr(row, f"{field}_en"):
                    setattr(row, f"{field}_en", getattr(row, field))
            row.save(update_fields=[f"{field}_en" for field in fields])
    load_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("practices", "0008_category_names_and_practice_translations")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
