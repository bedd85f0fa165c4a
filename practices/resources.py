from import_export import fields, resources, widgets

from practices.models import (
    CooperationLevel,
    GcmObjective,
    GuidingPrinciple,
    InterventionArea,
    Practice,
    Programme,
    TargetGroup,
    Theme,
)
from stakeholders.models import Stakeholder


def _names(attribute: str, model, field: str = "name") -> fields.Field:
    return fields.Field(
        attribute=attribute,
        column_name=attribute,
        widget=widgets.ManyToManyWidget(model, separator="|", field=field),
    )


class PracticeResource(resources.ModelResource):
    organisation = fields.Field(
        attribute="organisation",
        column_name="organisation",
        widget=widgets.ForeignKeyWidget(Stakeholder, field="name"),
    )
    programme = fields.Field(
        attribute="programme",
        column_name="programme",
        widget=widgets.ForeignKeyWidget(Programme, field="name"),
    )
    country = fields.Field(attribute="country", column_name="country")
    themes = _names("themes", Theme)
    objectives = _names("objectives", GcmObjective, field="number")
    principles = _names("principles", GuidingPrinciple, field="slug")
    target_groups = _names("target_groups", TargetGroup)
    areas = _names("areas", InterventionArea)
    cooperation_levels = _names("cooperation_levels", CooperationLevel, field="code")

    class Meta:
        model = Practice
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "title",
            "status",
            "organisation",
            "summary",
            "impact",
            "lessons_learnt",
            "city",
            "local_government",
            "country",
            "mayor",
            "start_date",
            "end_date",
            "programme",
            "cooperation_levels",
            "language",
            "themes",
            "objectives",
            "principles",
            "target_groups",
            "areas",
            "published_at",
        ]
        skip_unchanged = True
        report_skipped = True

    def after_import(self, dataset, result, **kwargs) -> None:
        super().after_import(dataset, result, **kwargs)
        if not kwargs.get("dry_run"):
            Practice.objects.filter(
                slug__in=[row.get("slug") for row in dataset.dict]
            ).update_search_vector()
