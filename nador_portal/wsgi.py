import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nador_portal.settings")
application = get_wsgi_application()

from nador_portal.checks import refuse_to_start_if_misconfigured  # noqa: E402

refuse_to_start_if_misconfigured()

from django.urls import get_resolver  # noqa: E402

from nador_portal.collector import freeze_loaded_objects  # noqa: E402

# Last, once everything is loaded (the URLconf imports every view, which Django would
# otherwise do at the first request): see nador_portal/collector.py.
get_resolver().url_patterns  # noqa: B018
freeze_loaded_objects()
