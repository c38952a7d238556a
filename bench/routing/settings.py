"""Production-like settings for the routing benchmark; BENCH_VARIANT picks how a request finds its tenant.

- ``ours``: the project's TenantRoutingMiddleware and database backend (what production runs);
- ``plain``: no tenant routing at all: Django's own PostgreSQL backend with the connection pinned to
  one tenant's schema when it opens, and a middleware that hands every request that tenant;
- ``stock``: django-tenants' TenantMainMiddleware and backend with django-tenants' defaults.

Everything else is the production stack (same middleware list, DEBUG off, persistent connections
with health checks), except that plain HTTP is allowed and logs stay quiet.
"""

from eoffice.settings.base import *  # noqa: F403
from eoffice.settings.base import MIDDLEWARE as PROJECT_MIDDLEWARE
from eoffice.settings.base import database_settings, env

VARIANT = env.str("BENCH_VARIANT", default="ours")
PINNED_SCHEMA = env.str("BENCH_PINNED_SCHEMA", default="bench_a")

DEBUG = False
SECRET_KEY = "bench-only-not-a-secret"  # noqa: S105
SECURE_SSL_REDIRECT = False
ALLOWED_HOSTS = ["*"]

DATABASES = database_settings(env.str("DATABASE_URL"))
DATABASES["default"]["CONN_MAX_AGE"] = None  # one connection per worker for its whole life
# Production checks the persistent connection once per request (a `SELECT 1` before the first
# query); `run.py --no-health-checks` measures what that costs.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("BENCH_CONN_HEALTH_CHECKS", default=True)

_ROUTING_MIDDLEWARE = "tenants.middleware.TenantRoutingMiddleware"
if VARIANT == "plain":
    DATABASES["default"]["ENGINE"] = "django.db.backends.postgresql"
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c search_path={PINNED_SCHEMA},public"
    MIDDLEWARE = [
        "bench.routing.middleware.PinnedTenantMiddleware" if name == _ROUTING_MIDDLEWARE else name
        for name in PROJECT_MIDDLEWARE
    ]
elif VARIANT == "stock":
    DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
    TENANT_LIMIT_SET_CALLS = False  # django-tenants' default
    MIDDLEWARE = [
        "django_tenants.middleware.main.TenantMainMiddleware" if name == _ROUTING_MIDDLEWARE else name
        for name in PROJECT_MIDDLEWARE
    ]
elif VARIANT != "ours":
    raise ValueError(f"BENCH_VARIANT must be ours, plain or stock, not {VARIANT!r}")

ROOT_URLCONF = "bench.routing.urls"
PUBLIC_SCHEMA_URLCONF = "bench.routing.urls"
ROOT_DOMAIN = "bench.localhost"

# Production shares Redis; the host map reads it at most once per second per process, so a
# process-local cache changes nothing measurable and keeps the benchmark free of outside services.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "KEY_FUNCTION": "django_tenants.cache.make_key",
    },
    "platform": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "platform"},
}
CELERY_BROKER_URL = "memory://"
SENTRY_DSN = ""
LOG_LEVEL = "WARNING"
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
