"""Forms of publishing: the base of the workspace forms (a record changed meanwhile is not
overwritten), the review comment, invitations of partners and their password reset."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from nador_portal.signin import password_change_limit, reset_email_limit
from publishing.access import organisations_for
from stakeholders.models import Stakeholder

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


class VersionedFormMixin:
    """A model form that refuses to overwrite a record changed since it was opened.

    The hidden `version` holds the record's `updated_at` when the form was rendered; a
    refused form keeps that stale token, so saving again stays refused until the user
    reloads the current version (their typed text is shown to copy from)."""

    stale_message = _(
        "Someone else saved this record since you opened the form. Your changes were not "
        "saved: they are still in the form below. Open the current version in a new tab, "
        "then copy your changes into it."
    )

    def init_version(self) -> None:
        self.fields["version"] = forms.CharField(widget=forms.HiddenInput, required=False)
        if self.instance.pk:
            self.initial["version"] = version_of(self.instance)

    def stale_error(self) -> ValidationError:
        return ValidationError(self.stale_message, code="stale")

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and cleaned.get("version") != version_of(self.instance):
            raise self.stale_error()
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
            self.add_error(None, self.stale_error())
            return False
        return True

    @property
    def is_stale(self) -> bool:
        return any(error.code == "stale" for error in self.non_field_errors().as_data())


class VersionedModelForm(VersionedFormMixin, forms.ModelForm):
    """A record of the workspace (a practice, an event): versioned, owned by one of the
    user's organisations, its categories as ticked boxes."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.init_version()
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


class ReviewCommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment for the organisation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )


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
        # Past the limit of mails to one address an hour, nothing more is sent to it; the page
        # says the same either way, so it tells nobody whether the address has an account.
        limit = reset_email_limit()
        if limit.hit(email.casefold()) > limit.limit:
            return
        yield from super().get_users(email)
        invited = get_user_model()._default_manager.filter(
            email__iexact=email, is_active=True, last_login__isnull=True
        )
        for user in invited:
            if not user.has_usable_password():
                yield user


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Wrong current passwords are counted per account: past the sign-in's limit, the form
    refuses even the right one until the cool-off ends (a stolen session cannot guess it)."""

    def clean_old_password(self):
        limit = password_change_limit()
        key = str(self.user.pk)
        if limit.exceeded(key):
            minutes = limit.retry_after_minutes()
            raise ValidationError(
                _("Too many wrong passwords. Try again in %(minutes)d minutes."),
                code="throttled",
                params={"minutes": minutes},
            )
        try:
            return super().clean_old_password()
        except ValidationError:
            limit.hit(key)
            raise
