"""Production must not keep the demo's accounts with the password the README publishes."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.checks import Error, Tags, register
from django.db import DatabaseError


@register(Tags.database, deploy=True)
def no_demo_account_with_a_known_password(app_configs, databases=None, **kwargs):
    if settings.DEBUG or not databases:
        return []
    from demo.loader import demo_usernames

    known = {settings.PUBLISHED_DEMO_PASSWORD, settings.DEMO_PASSWORD}
    try:
        users = list(get_user_model()._default_manager.filter(username__in=demo_usernames()))
    except DatabaseError:  # not migrated yet, or unreachable: /healthz reports the database
        return []
    exposed = sorted(
        user.username
        for user in users
        # Without the user's setter: a check must not rehash and save a password.
        if any(check_password(password, user.password) for password in known)
    )
    if not exposed:
        return []
    return [
        Error(
            f"Demo accounts with the demo password exist while DEBUG is off: {', '.join(exposed)}.",
            hint="Delete them in the admin, or give them new passwords "
            "(python manage.py changepassword USERNAME).",
            id="demo.E001",
        )
    ]
