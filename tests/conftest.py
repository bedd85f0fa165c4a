"""Personas and sample records shared by the whole suite.

anonymous, partner (member of ASTICUDE), outsider (member of another organisation),
coordinator (Coordinators group) and superuser, as in the project's style guide.
"""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client, override_settings
from django.utils import translation
from django.utils.text import slugify
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from practices.models import Practice, Status, Theme
from publishing.access import COORDINATORS_GROUP
from publishing.two_factor import is_required_for, totp_device_of
from stakeholders.models import Membership, Stakeholder

# The access matrix's samples and clients (its fixtures serve the guards over every URL too).
pytest_plugins = ["tests.matrix_samples"]

PASSWORD = "a-long-test-password-2026"

#: Tests of PostgreSQL-only paths are parametrized on it (never skipped).
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


@pytest.fixture(scope="session", autouse=True)
def _no_open_data_thread():
    """No open-data build outside a test's own settings (see _test_settings), and no page
    or facet cache (the migrations' data would move their version in a cache that has no
    table yet).

    A transactional test reloads its data before _test_settings applies and after it is
    undone: each save commits, and with the default OPEN_DATA_BUILD ("background") a build
    thread read the in-memory SQLite while the test emptied it ("database table is locked"
    in test_backup_safety, now and then) and wrote into the project's media folder."""
    with override_settings(OPEN_DATA_BUILD="off", PAGE_CACHE_SECONDS=0, FACET_CACHE_SECONDS=0):
        yield


@pytest.fixture(scope="session", autouse=True)
def _plain_http():
    """The test client and the live server speak plain HTTP; production redirects to HTTPS.

    Session-wide (not in _test_settings) so that the live server of the browser tests, whose
    middleware is loaded once when it starts, does not redirect either.
    """
    with override_settings(SECURE_SSL_REDIRECT=False):
        yield


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Each test its own open-data files, built in the test's thread (reports/open_data.py).
    settings.OPEN_DATA_ROOT = tmp_path / "open-data"
    settings.OPEN_DATA_BUILD = "sync"
    # The page cache has its own tests (tests/nador_portal/test_page_cache.py): elsewhere a
    # test's writes are never committed, so only the first of them would move its version.
    settings.PAGE_CACHE_SECONDS = 0
    settings.FACET_CACHE_SECONDS = 0  # the same, for the facet counts (tests/search)
    # Uploaded documents and images (attachments/) land in the test's own folder.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The hashed-name manifest exists only after collectstatic, which tests do not run.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Production's database cache would add its queries to the views' query counts.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # LocMem caches of one process share their storage: start each test empty.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in English: a request in another language leaves that language
    active in the thread, which would leak into reverse() and gettext of later tests."""
    translation.activate("en")
    yield
    translation.activate("en")


def make_stakeholder(name: str, kind: str = "ngo", **fields) -> Stakeholder:
    return Stakeholder.objects.create(name=name, slug=slugify(name), kind=kind, **fields)


def make_practice(organisation: Stakeholder, title: str, status=Status.PUBLISHED, **fields):
    fields.setdefault("summary", f"Summary of {title}.")
    fields.setdefault("country", "MA")
    practice = Practice.objects.create(
        title=title, slug=slugify(title), organisation=organisation, status=status, **fields
    )
    return practice


@pytest.fixture
def asticude(db) -> Stakeholder:
    return make_stakeholder("ASTICUDE", city="Nador", country="MA")


@pytest.fixture
def acpp(db) -> Stakeholder:
    return make_stakeholder("ACPP", city="Seville", country="ES")


def _user(django_user_model, username: str, **fields):
    return django_user_model.objects.create_user(
        username=username, email=f"{username}@example.org", password=PASSWORD, **fields
    )


@pytest.fixture
def partner(django_user_model, asticude):
    user = _user(django_user_model, "partner")
    Membership.objects.create(user=user, stakeholder=asticude)
    return user


@pytest.fixture
def outsider(django_user_model, acpp):
    user = _user(django_user_model, "outsider")
    Membership.objects.create(user=user, stakeholder=acpp)
    return user


@pytest.fixture
def coordinator(django_user_model):
    user = _user(django_user_model, "coordinator")
    user.groups.add(Group.objects.get_or_create(name=COORDINATORS_GROUP)[0])
    return user


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        username="root", email="root@example.org", password=PASSWORD
    )


def sign_in(client: Client, user) -> Client:
    """Signs the client in as `user`; a user who owes a second factor (coordinators and
    superusers: tests run with DEBUG off, so it is enforced) gets a confirmed authenticator
    app and a session verified by it, as django_otp.login() leaves one."""
    client.force_login(user)
    if is_required_for(user):
        device = totp_device_of(user) or TOTPDevice.objects.create(
            user=user, name="Test app", confirmed=True
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def logged_in(user) -> Client:
    return sign_in(Client(), user)


@pytest.fixture
def theme(db) -> Theme:
    return Theme.objects.create(name="Intercultural dialogue", slug="intercultural-dialogue")


@pytest.fixture
def reference(asticude, acpp, theme):
    """What the import tests' files name: ASTICUDE, ACPP and two themes."""
    Theme.objects.create(name="Social inclusion", slug="social-inclusion")


@pytest.fixture
def published_practice(asticude, theme) -> Practice:
    practice = make_practice(asticude, "Published practice of ASTICUDE")
    practice.themes.add(theme)
    return practice


@pytest.fixture
def draft_practice(asticude) -> Practice:
    return make_practice(asticude, "Draft practice of ASTICUDE", status=Status.DRAFT)
