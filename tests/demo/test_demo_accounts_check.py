"""With DEBUG off, the deployment check refuses demo accounts that keep the demo password."""

import pytest
from django.core import checks
from django.test import override_settings

from demo.checks import no_demo_account_with_a_known_password

pytestmark = pytest.mark.django_db


def _ids(**settings) -> list[str]:
    with override_settings(**settings):
        found = checks.run_checks(include_deployment_checks=True, databases=["default"])
    return [message.id for message in found]


def test_a_demo_coordinator_with_the_published_password_fails_the_deployment_check(
    django_user_model, settings
):
    django_user_model.objects.create_user("coordinator", password=settings.PUBLISHED_DEMO_PASSWORD)
    assert "demo.E001" in _ids(DEBUG=False)
    (error,) = no_demo_account_with_a_known_password(None, databases=["default"])
    assert "coordinator" in error.msg


def test_a_demo_account_with_the_configured_demo_password_fails_too(django_user_model):
    with override_settings(DEMO_PASSWORD="another-demo-password-1"):
        django_user_model.objects.create_user("acpp", password="another-demo-password-1")
        assert "demo.E001" in _ids(DEBUG=False)


def test_demo_accounts_with_new_passwords_pass(django_user_model):
    django_user_model.objects.create_user("asticude", password="a-password-of-their-own-99")
    assert "demo.E001" not in _ids(DEBUG=False)


def test_the_demo_itself_with_debug_on_is_not_refused(django_user_model, settings):
    django_user_model.objects.create_user("coordinator", password=settings.PUBLISHED_DEMO_PASSWORD)
    assert "demo.E001" not in _ids(DEBUG=True)


def test_a_user_with_the_demo_password_but_another_name_is_not_a_demo_account(
    django_user_model, settings
):
    django_user_model.objects.create_user("fatima", password=settings.PUBLISHED_DEMO_PASSWORD)
    assert "demo.E001" not in _ids(DEBUG=False)
