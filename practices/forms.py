"""Forms of the partner workspace and of the review of practices."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from practices.models import TAXONOMY_FIELDS, Indicator, Practice, StakeholderRole
from stakeholders.models import Stakeholder, is_coordinator, organisation_ids_of

# Text areas (summary, impact, description ...) have no length in the database; a form
# refuses more than this, about ten pages of text, rather than store megabytes.
LONG_TEXT_MAX_LENGTH = 20_000


def cap_length(field: forms.CharField, limit: int = LONG_TEXT_MAX_LENGTH) -> None:
    field.max_length = limit
    field.validators.append(MaxLengthValidator(limit))
    field.widget.attrs["maxlength"] = str(limit)


def version_of(instance) -> str:
    """The token that tells whether a record changed since a form was opened."""
    return instance.updated_at.isoformat() if instance.updated_at else ""


def unique_slug(model, title: str, fallback: str) -> str:
    base = slugify(title)[:200].strip("-") or fallback
    slug, number = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


class VersionedModelForm(forms.ModelForm):
    """A model form that refuses to overwrite a record changed since it was opened.

    The hidden `version` holds the record's `updated_at` when the form was rendered; a
    refused form keeps that stale token, so saving again stays refused until the user
    reloads the current version (their typed text is shown to copy from)."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)
    stale_message = _(
        "Someone else saved this record since you opened the form. Your changes were not "
        "saved: they are still in the form below. Open the current version in a new tab, "
        "then copy your changes into it."
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk:
            self.initial["version"] = version_of(self.instance)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and field.max_length is None:
                cap_length(field)
        organisations = organisations_for(user)
        self.fields["organisation"].queryset = organisations
        if not self.instance.pk and len(organisations[:2]) == 1:
            self.initial["organisation"] = organisations[0].pk
        for name in self.taxonomy_fields:
            if name in self.fields:
                self.fields[name].widget = forms.CheckboxSelectMultiple(
                    attrs={"class": "checkbox-group"}
                )
                self.fields[name].widget.choices = self.fields[name].choices

    taxonomy_fields: Sequence[str] = ()

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and cleaned.get("version") != version_of(self.instance):
            raise ValidationError(self.stale_message, code="stale")
        return cleaned

    def lock_if_current(self) -> bool:
        """Lock the stored row (inside a transaction) and check it is still the version
        the form was opened on, so that two saves at the same moment cannot both pass."""
        if not self.instance.pk:
            return True
        stored = (
            type(self.instance)
            .objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("updated_at", flat=True)
            .first()
        )
        if stored is None or stored.isoformat() != self.cleaned_data.get("version"):
            self.add_error(None, ValidationError(self.stale_message, code="stale"))
            return False
        return True

    @property
    def is_stale(self) -> bool:
        return any(error.code == "stale" for error in self.non_field_errors().as_data())


def organisations_for(user):
    """The organisations a user may file work for: their own; any for coordinators."""
    if is_coordinator(user):
        return Stakeholder.objects.all()
    return Stakeholder.objects.filter(pk__in=organisation_ids_of(user))


class PracticeForm(VersionedModelForm):
    taxonomy_fields = TAXONOMY_FIELDS

    class Meta:
        model = Practice
        fields = [
            "title",
            "organisation",
            "language",
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
            *TAXONOMY_FIELDS,
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end of the project cannot be before its start."))
        return cleaned

    def save(self, commit: bool = True) -> Practice:
        if not self.instance.pk:
            self.instance.slug = unique_slug(Practice, self.instance.title, "practice")
        return super().save(commit)


class StakeholderRoleForm(forms.ModelForm):
    class Meta:
        model = StakeholderRole
        fields = ["stakeholder", "role"]


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["label", "target", "achieved", "unit", "position"]


StakeholderRoleFormSet = forms.inlineformset_factory(
    Practice,
    StakeholderRole,
    form=StakeholderRoleForm,
    extra=2,
    can_delete=True,
    can_delete_extra=False,
)
IndicatorFormSet = forms.inlineformset_factory(
    Practice, Indicator, form=IndicatorForm, extra=2, can_delete=True, can_delete_extra=False
)


class ReviewCommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment for the organisation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )
