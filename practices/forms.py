"""Forms of the catalogue: a practice, its stakeholders' roles and its indicators."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from practices.models import (
    Indicator,
    Practice,
    PracticeLink,
    PracticeTranslation,
    StakeholderRole,
)
from publishing.forms import VersionedFormMixin, VersionedModelForm, cap_length, unique_slug

# The practice's categories, in the order the form shows them, as ticked boxes.
TAXONOMY_FIELDS = (
    "cooperation_levels",
    "themes",
    "objectives",
    "principles",
    "target_groups",
    "areas",
)


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The fields' querysets were made when this module was imported, in that moment's
        # language: taken again, the boxes come in the order of the page's language.
        for name in (*TAXONOMY_FIELDS, "programme"):
            field = self.fields[name]
            field.queryset = field.queryset.model._default_manager.all()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end of the project cannot be before its start."))
        language = cleaned.get("language")
        if self.instance.pk and self.instance.translations.filter(language=language).exists():
            self.add_error(
                "language",
                _(
                    "This practice has a translation into this language. Remove the "
                    "translation first, or keep the language it was written in."
                ),
            )
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


class PracticeLinkForm(forms.ModelForm):
    class Meta:
        model = PracticeLink
        fields = ["url", "title", "kind", "language", "position"]
        widgets = {"url": forms.URLInput(attrs={"placeholder": "https://"})}
        # Labels of their own: on the practice's form, a second "Title" or "Language" would be
        # announced by a screen reader exactly like the practice's.
        labels = {
            "url": _("Address of the link"),
            "title": _("Title of the link"),
            "kind": _("Kind of link"),
            "language": _("Language of the link"),
            "position": _("Order of the link"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("Another language")), *settings.LANGUAGES]


PracticeLinkFormSet = forms.inlineformset_factory(
    Practice,
    PracticeLink,
    form=PracticeLinkForm,
    extra=2,
    can_delete=True,
    can_delete_extra=False,
)


class PracticeTranslationForm(VersionedFormMixin, forms.ModelForm):
    """A practice's texts in one other language, and the labels of its indicators; like
    the practice's own form, it refuses to overwrite a translation changed meanwhile."""

    class Meta:
        model = PracticeTranslation
        fields = ["title", "summary", "impact", "lessons_learnt"]

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.init_version()
        for name in ("summary", "impact", "lessons_learnt"):
            cap_length(self.fields[name])
        self.indicators = list(indicators)
        labels = self.instance.indicator_labels or {}
        for indicator in self.indicators:
            self.fields[f"indicator_{indicator.pk}"] = forms.CharField(
                label=_("Indicator “%(label)s”") % {"label": indicator.label},
                max_length=Indicator._meta.get_field("label").max_length,
                required=False,
                initial=labels.get(str(indicator.pk), ""),
            )

    def save(self, commit: bool = True) -> PracticeTranslation:
        self.instance.indicator_labels = {
            str(indicator.pk): self.cleaned_data[f"indicator_{indicator.pk}"].strip()
            for indicator in self.indicators
            if self.cleaned_data.get(f"indicator_{indicator.pk}", "").strip()
        }
        return super().save(commit)
