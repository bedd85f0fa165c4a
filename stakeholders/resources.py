from import_export import fields, resources

from stakeholders.models import Stakeholder


class StakeholderResource(resources.ModelResource):
    country = fields.Field(attribute="country", column_name="country")

    class Meta:
        model = Stakeholder
        import_id_fields = ["slug"]
        fields = ["slug", "name", "kind", "city", "country", "website", "description"]
        skip_unchanged = True
        report_skipped = True
