from __future__ import annotations

from django import forms
from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import ValidationError
from django.utils.translation import pgettext_lazy

from alerts.models import Subscription


class SubscriptionForm(forms.Form):
    email = forms.EmailField(
        label=pgettext_lazy("alerts", "Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    frequency = forms.ChoiceField(
        label=pgettext_lazy("alerts", "How often"),
        choices=Subscription.Frequency.choices,
        initial=Subscription.Frequency.WEEKLY,
        widget=forms.RadioSelect,
    )
    # The honeypot: hidden by the stylesheet, so a person never fills it; a robot filling
    # every field does.
    website = forms.CharField(
        label=pgettext_lazy("alerts", "Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_email(self) -> str:
        # The domain in lower case: one address is one key for its limit and its alerts.
        return BaseUserManager.normalize_email(self.cleaned_data["email"].strip())

    def clean_website(self) -> str:
        if self.cleaned_data["website"]:
            raise ValidationError(
                pgettext_lazy("alerts", "This field must be left empty."), code="honeypot"
            )
        return ""
