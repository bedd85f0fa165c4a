"""Invitation of partners by coordinators, and password reset for invited partners."""

from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from stakeholders.models import Stakeholder


class InvitationForm(forms.Form):
    """A new partner account: it gets no password; the partner chooses one by email link."""

    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        help_text=_("Letters, digits and @ . + - _ only."),
        error_messages={"invalid": _("Use only letters, digits and @ . + - _.")},
    )
    email = forms.EmailField(label=_("Email address"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Stakeholder.objects.all()
    )

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is already taken."))
        return username

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this email address already exists."))
        return email


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form skips accounts without a usable password; an invited partner
    who never signed in has none yet, and may ask again when the first link expired."""

    def get_users(self, email):
        yield from super().get_users(email)
        invited = get_user_model()._default_manager.filter(
            email__iexact=email, is_active=True, last_login__isnull=True
        )
        for user in invited:
            if not user.has_usable_password():
                yield user
