from import_export import resources

from reports.spreadsheets import PortalResourceMixin, choice_field, country_field
from search import index
from stakeholders.models import Stakeholder, StakeholderKind


class StakeholderResource(PortalResourceMixin, resources.ModelResource):
    country = country_field()
    kind = choice_field("kind", StakeholderKind.choices)

    required_columns = ("slug", "name", "kind")

    class Meta:
        model = Stakeholder
        import_id_fields = ["slug"]
        fields = ["slug", "name", "kind", "city", "country", "website", "description"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        skip_html_diff = True

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.saved: list[int] = []

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        self.saved.append(instance.pk)

    def after_import(self, dataset, result, **kwargs):
        """An organisation's name is searchable in its practices and its kind is one of
        their facets: the practices of the organisations written follow, once."""
        super().after_import(dataset, result, **kwargs)
        if self.saved and not kwargs.get("dry_run"):
            index.refresh(index.practices_of(self.saved))
