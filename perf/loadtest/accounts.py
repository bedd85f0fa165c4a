"""Who logs in during `make loadtest` (perf/loadtest/run.py): the demo partners and
coordinator, and partners made for the run, all with passwords made for the run (the server
runs with production settings, which refuse demo accounts with the demo password)."""

from __future__ import annotations

import secrets
import sys
from dataclasses import dataclass

DEMO = ["asticude", "acpp"]
COORDINATOR = "coordinator"


@dataclass
class Account:
    username: str
    password: str


def prepare_accounts(extra: int) -> tuple[list[Account], Account]:
    """The demo partners and coordinator, and `extra` partners made for the load test, each
    of their own organisation, each with a password made for the run."""
    from django.contrib.auth import get_user_model

    from stakeholders.models import Membership, Stakeholder

    User = get_user_model()

    def with_run_password(user) -> Account:
        account = Account(user.username, secrets.token_urlsafe(16))
        user.set_password(account.password)
        user.save()
        return account

    demo = {user.username: user for user in User.objects.filter(username__in=[*DEMO, COORDINATOR])}
    missing = sorted({*DEMO, COORDINATOR} - set(demo))
    if missing:
        sys.exit(f"The demo accounts {', '.join(missing)} are missing: run load_demo first.")
    partners = [with_run_password(demo[name]) for name in DEMO]
    organisations = Stakeholder.objects.exclude(slug__in=DEMO).order_by("pk")[:extra]
    for number, organisation in enumerate(organisations, start=1):
        user, _created = User.objects.get_or_create(username=f"loadtest-partner-{number}")
        Membership.objects.get_or_create(user=user, stakeholder=organisation)
        partners.append(with_run_password(user))
    return partners, with_run_password(demo[COORDINATOR])
