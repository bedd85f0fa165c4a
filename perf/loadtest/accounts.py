"""Who logs in during `make loadtest` (perf/loadtest/run.py): the demo partners and
coordinator, with the demo password, and partners made for the run."""

from __future__ import annotations

import secrets
import sys
from dataclasses import dataclass

DEMO_PARTNERS = ["asticude", "acpp"]


@dataclass
class Account:
    username: str
    password: str


def prepare_accounts(extra: int) -> tuple[list[Account], Account]:
    """The demo partners and coordinator (demo password), and `extra` partners made for
    the load test, each of their own organisation, with a password made for the run."""
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from stakeholders.models import Membership, Stakeholder

    User = get_user_model()
    demo = [*DEMO_PARTNERS, "coordinator"]
    for username in demo:
        user = User.objects.filter(username=username).first()
        if user is None or not user.check_password(settings.DEMO_PASSWORD):
            sys.exit(f"The demo account {username!r} is missing or has another password.")
    partners = [Account(name, settings.DEMO_PASSWORD) for name in DEMO_PARTNERS]
    organisations = Stakeholder.objects.exclude(slug__in=DEMO_PARTNERS).order_by("pk")[:extra]
    for number, organisation in enumerate(organisations, start=1):
        account = Account(f"loadtest-partner-{number}", secrets.token_urlsafe(16))
        user, _created = User.objects.get_or_create(username=account.username)
        user.set_password(account.password)
        user.save()
        Membership.objects.get_or_create(user=user, stakeholder=organisation)
        partners.append(account)
    return partners, Account("coordinator", settings.DEMO_PASSWORD)
