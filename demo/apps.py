from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo content a fresh checkout shows (`manage.py load_demo`)."""

    name = "demo"
    verbose_name = "Demo content"

    def ready(self) -> None:
        from demo import checks  # noqa: F401  (registers the check of demo accounts)
