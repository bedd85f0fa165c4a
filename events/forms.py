"""Forms of the partner workspace for events."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.models import Event, ParticipantCount
from practices.models import Practice
from publishing.access import for_user, organisation_ids_of
from publishing.forms import VersionedModelForm, unique_slug

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EventForm(VersionedModelForm):
    taxonomy_fields = ["organisers", "practices"]

    class Meta:
        model = Event
        fields = [
            "title",
            "organisation",
            "kind",
            "series",
            "starts_at",
            "ends_at",
            "venue",
            "city",
            "country",
            "description",
            "organisers",
            "practices",
            "expected_participants",
        ]
        widgets = {"starts_at": DATETIME_WIDGET, "ends_at": DATETIME_WIDGET}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        # Related practices: the work of the organisations involved (the user's own, the
        # event's) and what is already linked; listing every published practice would put
        # tens of thousands of checkboxes on a phone.
        organisations = set(organisation_ids_of(user))
        if self.instance.organisation_id:
            organisations.add(self.instance.organisation_id)
        involved = Q(organisation_id__in=organisations)
        if self.instance.pk:
            involved |= Q(events=self.instance)
        self.fields["practices"].queryset = (
            for_user(Practice.objects.all(), user).filter(involved).distinct().order_by("title")
        )
        self.fields["practices"].widget.choices = self.fields["practices"].choices

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("An event cannot end before it starts."))
        return cleaned

    def save(self, commit: bool = True) -> Event:
        if not self.instance.pk:
            self.instance.slug = unique_slug(Event, self.instance.title, "event")
        return super().save(commit)


class ParticipantCountForm(forms.ModelForm):
    class Meta:
        model = ParticipantCount
        fields = ["category", "count"]


ParticipantCountFormSet = forms.inlineformset_factory(
    Event,
    ParticipantCount,
    form=ParticipantCountForm,
    extra=2,
    can_delete=True,
    can_delete_extra=False,
)
