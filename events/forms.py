"""Forms of the partner workspace for events."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.models import Event, ParticipantCount, Registration
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
            "registration_open",
            "registration_capacity",
            "registration_deadline",
        ]
        widgets = {
            "starts_at": DATETIME_WIDGET,
            "ends_at": DATETIME_WIDGET,
            "registration_deadline": DATETIME_WIDGET,
        }

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
        deadline = cleaned.get("registration_deadline")
        if deadline and ends and deadline >= ends:
            self.add_error(
                "registration_deadline", _("Registration must close before the event ends.")
            )
        capacity = cleaned.get("registration_capacity")
        if cleaned.get("registration_open") and not capacity:
            self.add_error(
                "registration_capacity", _("An event open for registration needs places.")
            )
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


class RegistrationForm(forms.ModelForm):
    """A visitor's registration: who they are to the organisers, and nothing about their
    migration status or origin."""

    # A field people do not see (hidden by CSS, skipped by keyboard and screen readers):
    # programs that fill every field give themselves away.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    class Meta:
        model = Registration
        fields = ["name", "email", "organisation", "access_needs", "consent"]
        labels = {"access_needs": _("Access needs (optional)")}
        help_texts = {
            "access_needs": _(
                "For example step-free access, sign language or a quiet room: what would help "
                "you take part."
            ),
        }
        widgets = {"access_needs": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].required = True
        self.fields["consent"].label = _(
            "I agree that the organisers keep these details to manage the event; they are "
            "deleted 30 days after it ends."
        )
        self.fields["consent"].error_messages["required"] = _(
            "Please agree to the use of your details, or we cannot register you."
        )
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        # Said above the form: the field itself is out of sight.
        if cleaned.get("website"):
            raise forms.ValidationError(
                _("Leave the field “Leave this field empty” empty to register.")
            )
        return cleaned
