"""Settings of the Nador partners' portal, all read from the environment.

The defaults run a checkout at once on an embedded SQLite file; production sets
DATABASE_URL (PostgreSQL), SECRET_KEY and ALLOWED_HOSTS. See the table in README.md.
"""

from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from nador_portal.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# Fail closed: DEBUG is off unless asked for (`make run` asks for it).
DEBUG = env_bool("DEBUG", False)

# A development key so that a checkout runs; the system check nador_portal.E001
# (run by `check --deploy` and at start by wsgi.py/asgi.py) refuses it when DEBUG is off.
INSECURE_DEV_SECRET_KEY = "django-insecure-development-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY") or INSECURE_DEV_SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Before the admin: its translation tabs replace the admin's forms of categories.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "axes",
    # A second factor (TOTP, with one-time recovery codes): publishing/two_factor.py.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django_filters",
    "django_countries",
    "import_export",
    "simple_history",
    "nador_portal",
    # The catalogue: organisations, practices and their categories, events.
    "stakeholders",
    "practices",
    "events",
    # The work on it: filters and search, partners' publishing, coordinators' reports.
    "search",
    "publishing",
    "reports",
    # Documents and images of practices and events (attachments/models.py).
    "attachments",
    "contact",
    "alerts",
    "demo",
]
# The benchmark, its data generator and the load test (`make bench`, `make loadtest`):
# tooling, not part of the portal a visitor reaches.
PERF_TOOLS = env_bool("PERF_TOOLS", False)
if PERF_TOOLS:
    INSTALLED_APPS.append("perf")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before anything reads a parameter: a NUL is refused, other control characters are spaces.
    "nador_portal.middleware.ControlCharactersMiddleware",
    # Anonymous visitors' pages from the shared cache (nador_portal/page_cache.py): after the
    # page's language is known, before anything reads the session or the CSRF cookie.
    "nador_portal.page_cache.AnonymousPageCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Absolute session lifetime and no-store on every signed-in response (the second factor's
    # step included).
    "nador_portal.middleware.SignedInMiddleware",
    "nador_portal.replica.StickToPrimaryMiddleware",
    # Which second-factor device verified this session, then: no page for a coordinator whose
    # session has none (publishing/two_factor.py).
    "django_otp.middleware.OTPMiddleware",
    "publishing.two_factor.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "nador_portal.middleware.PermissionsPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "nador_portal.urls"
WSGI_APPLICATION = "nador_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "nador_portal.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer fails a request (and /healthz) in seconds, not minutes.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DATABASE_CONNECT_TIMEOUT", 5
    )
    # Random reads cost little more than sequential ones on SSDs and a cached working set.
    # With the default of 4, PostgreSQL scans every practice row (reading each search
    # vector) for a common word instead of using the GIN index, several times slower
    # (figures in docs/performance/log.md).
    random_page_cost = float(env_str("DATABASE_RANDOM_PAGE_COST", "1.1"))  # fails loudly
    DATABASES["default"]["OPTIONS"]["options"] = f"-c random_page_cost={random_page_cost}"
# A read replica for the heavy reads of reports, exports and open-data builds
# (nador_portal/replica.py); the tests read the primary through it.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
REPLICA_STICKY_SECONDS = env_int("REPLICA_STICKY_SECONDS", 15)
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(
            DATABASE_REPLICA_URL,
            conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
            conn_health_checks=True,
        ),
        "OPTIONS": DATABASES["default"].get("OPTIONS", {}),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["nador_portal.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The limits first (nador_portal/signin.py, django-axes): they refuse an address or a locked
# (username, address) pair before any password is checked.
AUTHENTICATION_BACKENDS = [
    "nador_portal.signin.AddressLimitBackend",
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workspace:home"
LOGOUT_REDIRECT_URL = "/"

# Sign-in lockout (django-axes): 5 failures of one username from one address lock that pair
# for 15 minutes; a coordinator can unlock it earlier (SECURITY.md).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "nador_portal.views.locked_out"
AXES_VERBOSE = False  # no banner on every manage.py command; lockouts are still logged
# Behind reverse proxies every request comes from the last proxy's address: PROXY_COUNT is the
# number of proxies in front that append to X-Forwarded-For (1 with the README's nginx), so that
# the visitor's own address is counted (nador_portal/client.py; AXES_PROXY_COUNT is its old name).
PROXY_COUNT = env_int("PROXY_COUNT", env_int("AXES_PROXY_COUNT", 0))
AXES_CLIENT_IP_CALLABLE = "nador_portal.client.client_ip"
# Failed sign-ins from one address across user names (spraying), an hour; password-reset
# requests per address and per e-mail address, an hour (nador_portal/signin.py).
SIGN_IN_ADDRESS_LIMIT = env_int("SIGN_IN_ADDRESS_LIMIT", 20)
PASSWORD_RESET_LIMIT = env_int("PASSWORD_RESET_LIMIT", 5)
# PDFs of the practice list an address may ask for per hour: each takes a worker for seconds.
LIST_PDF_LIMIT = env_int("LIST_PDF_LIMIT", 30)
# Event registrations sent from one address an hour (events/registration_views.py).
REGISTRATION_ADDRESS_LIMIT = env_int("REGISTRATION_ADDRESS_LIMIT", 10)
# The calendar feeds (events/views.py) hold the upcoming events and those that ended in the last
# CALENDAR_PAST_DAYS days, the events list's recent past; older ones are in its paginated archive.
CALENDAR_PAST_DAYS = env_int("CALENDAR_PAST_DAYS", 90)
# Visitors' messages about practices (contact/): messages an address may send an hour, messages
# about one practice a day, the seconds a person takes at least to fill the form (a program
# sends it at once), and the days they are kept (`manage.py purge_contact_requests`).
CONTACT_ADDRESS_LIMIT = env_int("CONTACT_ADDRESS_LIMIT", 5)
CONTACT_PRACTICE_LIMIT = env_int("CONTACT_PRACTICE_LIMIT", 20)
CONTACT_MIN_FILL_SECONDS = env_int("CONTACT_MIN_FILL_SECONDS", 5)
CONTACT_RETENTION_DAYS = env_int("CONTACT_RETENTION_DAYS", 365)
# E-mail alerts (alerts/): subscription requests an hour per address and per e-mail address, and
# the days a request waits for its confirmation before it is deleted (`send_alerts`).
ALERTS_ADDRESS_LIMIT = env_int("ALERTS_ADDRESS_LIMIT", 10)
ALERTS_EMAIL_LIMIT = env_int("ALERTS_EMAIL_LIMIT", 3)
ALERTS_CONFIRM_DAYS = env_int("ALERTS_CONFIRM_DAYS", 3)

# A second factor (TOTP app, or a one-time recovery code) is asked of coordinators and
# superusers after their password; partners may turn it on. Off by default with DEBUG, so that
# `make run`'s demo never locks a newcomer out (README.md).
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", not DEBUG)
# Each wrong code doubles the wait before the next try: 1, 2, 4, 8 ... seconds (django-otp).
OTP_TOTP_THROTTLE_FACTOR = env_int("OTP_THROTTLE_FACTOR", 1)
OTP_STATIC_THROTTLE_FACTOR = OTP_TOTP_THROTTLE_FACTOR
OTP_TOTP_ISSUER = "Nador portal"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a device's secret key

# Sessions end after SESSION_COOKIE_AGE seconds without a request (each request renews them),
# and SESSION_MAX_AGE seconds after signing in whatever happens (nador_portal/middleware.py).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 2 * 60 * 60)
SESSION_MAX_AGE = env_int("SESSION_MAX_AGE", 12 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("ar", _("Arabic")),
    ("es", _("Spanish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Categories (themes, GCM objectives ...) have a name per language (practices/translation.py);
# a name not yet translated is shown in English.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "Africa/Casablanca")
try:
    ZoneInfo(TIME_ZONE)
except (ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(f"TIME_ZONE {TIME_ZONE!r} is not a known time zone") from None

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Nador portal <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where the accessibility statement (/accessibility/) asks people to report a problem.
ACCESSIBILITY_CONTACT_EMAIL = (
    env_str("ACCESSIBILITY_CONTACT_EMAIL") or parseaddr(DEFAULT_FROM_EMAIL)[1]
)

ADMIN_URL = env_str("ADMIN_URL", "admin/")
if not ADMIN_URL.endswith("/") or ADMIN_URL.startswith("/"):
    raise ImproperlyConfigured("ADMIN_URL must look like 'some-path/' (no leading slash)")

# The portal's name, translated unless the environment names it.
SITE_NAME = env_str("SITE_NAME") or _("Nador partners' portal")
# The portal's public address, for links in mails sent with no request to read it from (the
# alerts' digests, sent by cron).
SITE_URL = env_str("SITE_URL", "http://localhost:8000").rstrip("/")
if not SITE_URL.startswith(("https://", "http://")) or "/" in SITE_URL.split("://", 1)[1]:
    raise ImproperlyConfigured("SITE_URL must look like 'https://portal.example.org'")

# Demo accounts made by `load_demo`; never used unless that command runs.
# The README publishes the default: the check demo.E001 refuses production while a demo account
# still has it (or DEMO_PASSWORD).
PUBLISHED_DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105
DEMO_PASSWORD = env_str("DEMO_PASSWORD", PUBLISHED_DEMO_PASSWORD)

IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_USE_TRANSACTIONS = True
# Limits of the coordinators' spreadsheet imports (reports/imports.py). The sizes follow the
# rows, so that the portal's own export of IMPORT_MAX_ROWS practices imports as it is: a row
# of it is 1 to 9 kB (the Nador record with its three translations 7.3 kB, 8.9 kB on average
# in the bench data); IMPORT_ROW_BYTES leaves room for long texts in four languages, and an
# XLSX unpacks to about twice its CSV. tests/reports/test_import_limits.py holds them to it.
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 5000)
IMPORT_ROW_BYTES = env_int("IMPORT_ROW_BYTES", 20 * 1024)
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", IMPORT_MAX_ROWS * IMPORT_ROW_BYTES)
IMPORT_MAX_UNPACKED_BYTES = env_int("IMPORT_MAX_UNPACKED_BYTES", 2 * IMPORT_MAX_BYTES)
# Open data (reports/open_data.py): the full files, built after each change ("background"
# thread, "sync" in the caller, "off": only `manage.py build_open_data`), and the filtered
# downloads: at most OPEN_DATA_MAX_ROWS rows, OPEN_DATA_RATE_LIMIT per address a minute.
OPEN_DATA_ROOT = Path(env_str("OPEN_DATA_ROOT") or MEDIA_ROOT / "open-data")
OPEN_DATA_BUILD = env_str("OPEN_DATA_BUILD", "background")
if OPEN_DATA_BUILD not in ("background", "sync", "off"):
    raise ImproperlyConfigured(
        f"OPEN_DATA_BUILD must be background, sync or off; got {OPEN_DATA_BUILD!r}"
    )
# Behind nginx: the prefix of its `internal` location of OPEN_DATA_ROOT (README), so that nginx,
# not a worker, sends the full files.
OPEN_DATA_ACCEL_REDIRECT = env_str("OPEN_DATA_ACCEL_REDIRECT", "")
OPEN_DATA_MAX_ROWS = env_int("OPEN_DATA_MAX_ROWS", 2000)
# Documents and images of practices and events (attachments/checks.py): the size limits, the
# pixels an image may have (a decompression bomb has billions), and behind nginx the prefix of
# its `internal` location of MEDIA_ROOT (README), so that nginx sends the files.
ATTACHMENT_MAX_DOCUMENT_MB = env_int("ATTACHMENT_MAX_DOCUMENT_MB", 10)
ATTACHMENT_MAX_IMAGE_MB = env_int("ATTACHMENT_MAX_IMAGE_MB", 5)
ATTACHMENT_MAX_IMAGE_PIXELS = env_int("ATTACHMENT_MAX_IMAGE_PIXELS", 40_000_000)
ATTACHMENT_ACCEL_REDIRECT = env_str("ATTACHMENT_ACCEL_REDIRECT", "")
OPEN_DATA_RATE_LIMIT = env_int("OPEN_DATA_RATE_LIMIT", 10)
# The licence of the open data (/data/, datapackage.json, the DCAT catalogue): an SPDX id,
# its title and its URL.
OPEN_DATA_LICENCE = env_str("OPEN_DATA_LICENCE", "CC-BY-4.0")
OPEN_DATA_LICENCE_TITLE = env_str("OPEN_DATA_LICENCE_TITLE", "Creative Commons Attribution 4.0")
OPEN_DATA_LICENCE_URL = env_str(
    "OPEN_DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/"
)

COUNTRIES_FIRST = ["MA", "ES", "FR"]

# HTTPS. Production is HTTPS only: secure cookies, a redirect to https:// and HSTS. Behind a
# proxy that terminates TLS, SECURE_PROXY_SSL_HEADER=1 trusts its X-Forwarded-Proto header
# (only when the proxy sets or strips that header on every request).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe /healthz over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
# Opt-in: the portal may live under a domain (say a municipality's) whose other subdomains it
# does not control, and preloading is hard to undo. Left off, their deployment warnings are a
# decision, not an oversight, so they are silenced.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]

# Headers on every response (SECURITY.md lists them).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# nador_portal.middleware.PermissionsPolicyMiddleware: no page needs these browser features.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
# Content-Security-Policy (django-csp 4): only this site's own files, no inline script or style,
# no framing, forms post only here. Templates must use static/css and static/js files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        # Only when the site itself is HTTPS-only: on plain http (SECURE_SSL_REDIRECT=0 on
        # loopback) the browser would ask for the style sheet over https and get nothing.
        **({"upgrade-insecure-requests": True} if SECURE_SSL_REDIRECT else {}),
    },
}

# The read-only public API (api/, README "API"): anonymous JSON under /api/v1/, its OpenAPI
# schema and docs under /api/. No authentication: it serves only what the public pages show.
INSTALLED_APPS += ["rest_framework", "drf_spectacular", "drf_spectacular_sidecar", "corsheaders"]
INSTALLED_APPS.insert(INSTALLED_APPS.index("search") + 1, "api")
# As high as possible, before CommonMiddleware, as django-cors-headers asks.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.common.CommonMiddleware"),
    "corsheaders.middleware.CorsMiddleware",
)
# Requests per address (nador_portal.client.client_ip), e.g. "120/min", "5000/hour".
API_ANON_RATE = env_str("API_ANON_RATE", "120/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttles.AnonymousRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Nador partners' portal API",
    "DESCRIPTION": "Read-only open data: the published practices, their categories, "
    "stakeholders and events. See the README's API section.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc from the portal's own static files (drf-spectacular-sidecar).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No badge fetched from validator.swagger.io.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}
# django-cors-headers: any site may read the API from a browser, without credentials.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False

# Cache: Redis when REDIS_URL is set (several app servers share it); otherwise the database
# cache, shared by every gunicorn worker so that a cache.delete() is seen by all of them
# (`make migrate` and `make serve` create its table). In development (DEBUG) the in-process
# memory cache is enough and needs no table.
# Seconds an anonymous page may stay in the cache (nador_portal/page_cache.py); any change of
# content moves the cache's version before that. 0: no page cache.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
# Seconds the facet counts of one selection (filters and words) may stay in the cache
# (search/counts.py), signed-in visitors included; the same version as the pages replaces
# them at any change. 0: counted for every request.
FACET_CACHE_SECONDS = env_int("FACET_CACHE_SECONDS", 600)
# Keep bitmaps of frequent two-word phrases in the facet index (search/word_bits.py): a
# quoted phrase of common words is then counted in milliseconds, but a rebuild of the index
# takes about ten times longer (15 min at 300,000 bench practices). Off: phrases go to the
# GIN index, exact and slower.
SEARCH_PHRASE_BITS = env_bool("SEARCH_PHRASE_BITS", True)
# Seconds a proxy in front (nginx: deploy/nginx.conf.template) may keep an anonymous page
# that this cache holds, sent as X-Accel-Expires, which nginx reads and never passes on.
# A publication then reaches visitors through the proxy within this many seconds instead
# of at once; each page reaches the app servers once per period at most, whatever the
# crowd. 0: no such header (the default; `make cluster` uses 1).
EDGE_CACHE_SECONDS = env_int("EDGE_CACHE_SECONDS", 0)
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "nador",
        }
    }
    # Sessions read from Redis and written through to the database: a restart of Redis,
    # which empties it, signs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
elif DEBUG:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "nador_cache",
        }
    }

# One line per event, key=value pairs (nador_portal.log.KeyValueFormatter); errors of
# django.request carry the request's method, path and status.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"()": "nador_portal.log.KeyValueFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint tells each step of every PDF at INFO; its warnings (a refused URL) stay.
        "weasyprint.progress": {"level": "WARNING"},
    },
}
