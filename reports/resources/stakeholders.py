from import_export import fields, resources

from reports.spreadsheets import PortalResourceMixin, choice_field
from stakeholders.models import Stakeholder, StakeholderKind


class StakeholderResource(PortalResourceMixin, resources.ModelResource):
    country = fields.Field(attribute="country", column_name="country")
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
