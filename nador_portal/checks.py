from django.conf import settings
from django.core.checks import Error, register


@register(deploy=True)
def secret_key_is_set_in_production(app_configs, **kwargs):
    if settings.DEBUG:
        return []
    if settings.SECRET_KEY in ("", settings.INSECURE_DEV_SECRET_KEY):
        return [
            Error(
                "SECRET_KEY is empty or the development default while DEBUG is off.",
                hint="Set SECRET_KEY in the environment to a long random value.",
                id="nador_portal.E001",
            )
        ]
    return []


# Hosts that only reach the machine itself (and the test client's host).
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1", "testserver"}


@register
def debug_is_off_on_a_public_host(app_configs, **kwargs):
    """DEBUG shows settings and source code on errors: never on a host the public can reach."""
    if not settings.DEBUG:
        return []
    public = [host for host in settings.ALLOWED_HOSTS if host not in LOCAL_HOSTS]
    if public:
        return [
            Error(
                f"DEBUG is on while ALLOWED_HOSTS names public hosts: {', '.join(public)}.",
                hint="Turn DEBUG off in production, or list only localhost in ALLOWED_HOSTS.",
                id="nador_portal.E002",
            )
        ]
    return []


def refuse_to_start_if_misconfigured() -> None:
    """Run the system checks at server start (gunicorn does not) and stop on an error."""
    from django.core import checks
    from django.core.exceptions import ImproperlyConfigured

    errors = [
        message
        for message in checks.run_checks(include_deployment_checks=True)
        if message.is_serious()
    ]
    if errors:
        raise ImproperlyConfigured("; ".join(str(error) for error in errors))
