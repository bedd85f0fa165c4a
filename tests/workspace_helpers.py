"""Helpers for the workspace and review tests: clients that enforce CSRF, and form data
built from the forms themselves, as a browser would send them."""

from __future__ import annotations

from django.test import Client

from events.forms import EventForm, ParticipantCountFormSet
from practices.forms import (
    IndicatorFormSet,
    PracticeForm,
    PracticeLinkFormSet,
    StakeholderRoleFormSet,
)
from tests.conftest import sign_in


class CsrfClient(Client):
    """A client that checks CSRF like the real site and sends the token like a form does."""

    def __init__(self, **kwargs):
        super().__init__(enforce_csrf_checks=True, **kwargs)

    def post(self, path, data=None, **kwargs):
        if "csrftoken" not in self.cookies:
            self.get("/en/accounts/login/")
        data = {**(data or {}), "csrfmiddlewaretoken": self.cookies["csrftoken"].value}
        return super().post(path, data, **kwargs)


def client_for(user=None) -> CsrfClient:
    client = CsrfClient()
    if user is not None:
        sign_in(client, user)
    return client


def _field_data(form) -> dict:
    data = {}
    for bound in form:
        value = bound.value()
        if value is None or value is False:
            continue
        if isinstance(value, list | tuple):
            value = [getattr(v, "pk", v) for v in value]
        data[bound.html_name] = value
    return data


def post_data(form, formsets) -> dict:
    data = _field_data(form)
    for formset in formsets:
        data.update(_field_data(formset.management_form))
        for subform in formset.forms:
            data.update(_field_data(subform))
    return data


def practice_data(practice, user, **changes) -> dict:
    """What the edit form of `practice` sends back unchanged, with `changes` applied."""
    form = PracticeForm(instance=practice, user=user)
    formsets = [
        StakeholderRoleFormSet(instance=practice, prefix="roles"),
        IndicatorFormSet(instance=practice, prefix="indicators"),
        PracticeLinkFormSet(instance=practice, prefix="links"),
    ]
    return {**post_data(form, formsets), **changes}


def event_data(event, user, **changes) -> dict:
    form = EventForm(instance=event, user=user)
    formsets = [ParticipantCountFormSet(instance=event, prefix="participants")]
    data = post_data(form, formsets)
    for name in ("starts_at", "ends_at"):
        if name in data and hasattr(data[name], "strftime"):
            data[name] = data[name].strftime("%Y-%m-%dT%H:%M")
    return {**data, **changes}


def empty_formsets(*prefixes: str) -> dict:
    data = {}
    for prefix in prefixes:
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data
