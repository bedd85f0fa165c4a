import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nador_portal.settings")
application = get_wsgi_application()

from nador_portal.checks import refuse_to_start_if_misconfigured  # noqa: E402

refuse_to_start_if_misconfigured()

from nador_portal.collector import freeze_loaded_objects  # noqa: E402

# Last, once the checks have passed: see nador_portal/collector.py.
freeze_loaded_objects()
