from import_export import fields, resources, widgets

from events.models import Event, EventSeries
from stakeholders.models import Stakeholder


class EventResource(resources.ModelResource):
    organisation = fields.Field(
        attribute="organisation",
        column_name="organisation",
        widget=widgets.ForeignKeyWidget(Stakeholder, field="name"),
    )
    series = fields.Field(
        attribute="series",
        column_name="series",
        widget=widgets.ForeignKeyWidget(EventSeries, field="name"),
    )
    organisers = fields.Field(
        attribute="organisers",
        column_name="organisers",
        widget=widgets.ManyToManyWidget(Stakeholder, separator="|", field="name"),
    )
    country = fields.Field(attribute="country", column_name="country")

    class Meta:
        model = Event
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "title",
            "status",
            "kind",
            "series",
            "organisation",
            "organisers",
            "starts_at",
            "ends_at",
            "venue",
            "city",
            "country",
            "description",
            "expected_participants",
        ]
        skip_unchanged = True
        report_skipped = True
