"""Before the spike (perf/spiketest/run.py): the bench practices in the cluster's primary,
the accounts made for the run (partners, and a coordinator with an authenticator app whose
secret the test keeps), the practices submitted for the coordinator to publish."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from perf.loadtest.accounts import Account
from perf.loadtest.run import manage
from perf.spiketest import cluster as cluster_control


@dataclass
class Coordinator:
    account: Account
    totp_key: str  # hex, as TOTPDevice keeps it


def prepare_database(env: dict, practices: int) -> None:
    # The single server's cache, without Redis: a table of the database.
    manage(cluster_control.single_server_env(env), "createcachetable")
    manage(env, "generate_bench_data", "--practices", str(practices), "--reuse")
    from nador_portal import page_cache

    page_cache.bump()  # pages cached before the bench data are not the site's any more


def prepare_accounts(count: int) -> tuple[list[Account], Coordinator]:
    """Partners of organisations of their own and a coordinator with an authenticator app,
    all made for the spike test with passwords of this run; the demo accounts are left as
    they are (their passwords are in the cluster's passwords file)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from publishing.access import COORDINATORS_GROUP
    from publishing.two_factor import new_secret
    from stakeholders.models import Membership, Stakeholder

    User = get_user_model()

    def with_run_password(username: str):
        user, _created = User.objects.get_or_create(username=username)
        account = Account(username, secrets.token_urlsafe(16))
        user.set_password(account.password)
        user.is_active = True
        user.save()
        return user, account

    partners = []
    organisations = Stakeholder.objects.exclude(slug__in=["asticude", "acpp"]).order_by("pk")
    for number, organisation in enumerate(organisations[:count], start=1):
        user, account = with_run_password(f"spiketest-partner-{number}")
        Membership.objects.filter(user=user).exclude(stakeholder=organisation).delete()
        Membership.objects.get_or_create(user=user, stakeholder=organisation)
        partners.append(account)
    user, account = with_run_password("spiketest-coordinator")
    user.groups.add(Group.objects.get_or_create(name=COORDINATORS_GROUP)[0])
    key = new_secret()
    TOTPDevice.objects.filter(user=user).delete()
    TOTPDevice.objects.create(user=user, name="Spike test", key=key, confirmed=True)
    return partners, Coordinator(account, key)


def prepare_submissions(run_id: str, count: int) -> list[tuple[str, str]]:
    """Practices submitted for review, for the coordinator to publish: (slug, title)."""
    from django.utils.text import slugify

    from practices.models import Practice, Theme
    from publishing.workflow import Status
    from stakeholders.models import Stakeholder

    organisation = Stakeholder.objects.order_by("pk").first()
    theme = Theme.objects.order_by("pk").first()
    made = []
    for number in range(1, count + 1):
        title = f"Spike publication {run_id} {number}"
        practice = Practice.objects.create(
            title=title,
            slug=slugify(title),
            organisation=organisation,
            status=Status.SUBMITTED,
            summary=f"Published during the spike test {run_id}.",
            country="MA",
            language="en",
        )
        if theme is not None:
            practice.themes.add(theme)
        made.append((practice.slug, title))
    return made
