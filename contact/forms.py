"""The contact form, and what keeps machines out of it without a third-party service: a
field people do not see (a program fills it), a signed time of opening (a program sends at
once), and limits per visitor's address and per practice (nador_portal/throttle.py)."""

from __future__ import annotations

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from contact.models import ContactRequest
from nador_portal.throttle import Limit
from stakeholders.models import Stakeholder

SALT = "contact.form-opened"
HOUR, DAY = 60 * 60, 24 * 60 * 60
# A form opened longer ago than this was left open (or its token copied): opened again.
OPENED_MAX_AGE = DAY


def address_limit() -> Limit:
    return Limit("contact-address", settings.CONTACT_ADDRESS_LIMIT, HOUR)


def practice_limit() -> Limit:
    return Limit("contact-practice", settings.CONTACT_PRACTICE_LIMIT, DAY)


def opened_token(at: float | None = None) -> str:
    return signing.dumps(int(at if at is not None else time.time()), salt=SALT)


class ContactRequestForm(forms.ModelForm):
    consent = forms.BooleanField(
        label=_("I agree that the organisation and the portal's coordinators contact me."),
        error_messages={"required": _("Tick the box so that the organisation may answer you.")},
    )
    # The trap: hidden from people (the template's `hidden` wrapper), filled by programs.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    opened = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ContactRequest
        fields = ["name", "email", "sender_organisation", "city", "country", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 6, "maxlength": 5000})}

    def __init__(self, *args, practice, address: str = "", **kwargs):
        kwargs.setdefault("prefix", "contact")
        super().__init__(*args, **kwargs)
        self.practice = practice
        self.address = address
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        if not self.is_bound:
            self.initial["opened"] = opened_token()

    def clean(self):
        """The trap, the time and the limits are said at the top of the form (their
        fields are not seen), beside any error in the fields."""
        cleaned = super().clean()
        if cleaned.get("website"):
            raise ValidationError(
                _("Your message was not sent: a field meant to stay empty was filled in."),
                code="trap",
            )
        self._check_opened(cleaned.get("opened") or "")
        if not self.errors:
            self._check_limits()
        return cleaned

    def _check_opened(self, token: str) -> None:
        try:
            elapsed = time.time() - float(signing.loads(token, salt=SALT))
        except (signing.BadSignature, TypeError, ValueError):
            elapsed = None
        if elapsed is None or elapsed > OPENED_MAX_AGE:
            self._reopen()
            raise ValidationError(
                _("This form was open too long or is damaged. Check it and send it again."),
                code="expired",
            ) from None
        if elapsed < settings.CONTACT_MIN_FILL_SECONDS:
            raise ValidationError(
                _("The form was sent too quickly after it was opened. Check it and send it again."),
                code="too_fast",
            )

    def _reopen(self) -> None:
        """A fresh token in the form shown again, so that sending it again can work."""
        self.data = self.data.copy()
        self.data[self.add_prefix("opened")] = opened_token()

    def _check_limits(self) -> None:
        for limit, key in ((address_limit(), self.address), (practice_limit(), self.practice.pk)):
            if limit.exceeded(str(key)):
                raise ValidationError(
                    _(
                        "Too many messages were sent from here or about this practice. "
                        "Try again in %(minutes)d minutes."
                    ),
                    code="throttled",
                    params={"minutes": limit.retry_after_minutes()},
                )

    def count(self) -> None:
        """Count a message sent against both limits."""
        address_limit().hit(self.address)
        practice_limit().hit(str(self.practice.pk))


class ContactAddressForm(forms.ModelForm):
    """An organisation's contact address, set by its members or the coordinators."""

    class Meta:
        model = Stakeholder
        fields = ["contact_email"]
