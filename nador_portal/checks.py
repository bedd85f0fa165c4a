from django.conf import settings
from django.core.checks import Error, register

# Django's own rule for a key worth its name (its warning security.W009), made an error here.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5


@register(deploy=True)
def secret_key_is_set_in_production(app_configs, **kwargs):
    if settings.DEBUG:
        return []
    key = settings.SECRET_KEY
    hint = "Set SECRET_KEY in the environment to a long random value, e.g. the output of: "
    hint += "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    if key in ("", settings.INSECURE_DEV_SECRET_KEY):
        message = "SECRET_KEY is empty or the development default while DEBUG is off."
        return [Error(message, hint=hint, id="nador_portal.E001")]
    if (
        len(key) < SECRET_KEY_MIN_LENGTH
        or len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
        or key.startswith("django-insecure-")
    ):
        message = (
            f"SECRET_KEY is too weak: it needs at least {SECRET_KEY_MIN_LENGTH} characters, "
            f"{SECRET_KEY_MIN_UNIQUE_CHARACTERS} of them different, and no 'django-insecure-'."
        )
        return [Error(message, hint=hint, id="nador_portal.E003")]
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

    found = checks.run_checks(include_deployment_checks=True, databases=["default"])
    errors = [message for message in found if message.is_serious()]
    if errors:
        raise ImproperlyConfigured("; ".join(str(error) for error in errors))
