from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo content a fresh checkout shows (`manage.py load_demo`)."""

    name = "demo"
    verbose_name = "Demo content"
