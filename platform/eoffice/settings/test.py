"""`make test`: real PostgreSQL (embedded unless DATABASE_URL is set), no outside services needed."""

from eoffice.settings.base import *  # noqa: F403
from eoffice.settings.base import CELERY_BROKER_URL, DATABASE_URL, VAR_DIR, database_settings, env

SECRET_KEY = "test-only-not-a-secret"  # noqa: S105
DEBUG = False

if not DATABASE_URL:
    from eoffice.embedded_db import embedded_database_url

    DATABASES = database_settings(embedded_database_url(VAR_DIR / "postgres"))
DATABASES["default"]["CONN_MAX_AGE"] = 0
# Several suites may run at once against one server (one name each).
DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default="test_eoffice")}
if not DATABASE_URL:
    # Tests only ever use the test database; a name that does not exist makes any path around it
    # fail loudly instead of touching the development data of the same embedded server.
    DATABASES["default"]["NAME"] = "eoffice_tests_use_the_test_database"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "KEY_FUNCTION": "django_tenants.cache.make_key",
    },
    "platform": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "platform"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "test-media"
CELERY_TASK_ALWAYS_EAGER = False
# Tasks queued by tests go to a folder of this test database's own, never to a development
# worker's queue (nor to another suite running at the same time).
_TEST_CELERY_DIR = VAR_DIR / "test-celery" / DATABASES["default"]["TEST"]["NAME"]
if CELERY_BROKER_URL.startswith("filesystem"):
    _queue = env.str("CELERY_FILESYSTEM_FOLDER", default=str(_TEST_CELERY_DIR / "queue"))
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": _queue,
        "data_folder_out": _queue,
        "processed_folder": str(_TEST_CELERY_DIR / "processed"),
        "control_folder": str(_TEST_CELERY_DIR / "control"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=f"file://{_TEST_CELERY_DIR / 'results'}")
LOG_FORMAT = "json"
LOG_LEVEL = "WARNING"
AXES_ENABLED = True
TENANT_ROUTING_CHECK_SECONDS = 0.0
# Static files straight from frontend/dist; no collectstatic needed.
STATIC_ROOT = None  # type: ignore[assignment]
WHITENOISE_USE_FINDERS = True
# Module tests sign the demo admins in directly; the MFA tests switch enforcement back on.
MFA_ENFORCE_FOR_ADMINS = False
