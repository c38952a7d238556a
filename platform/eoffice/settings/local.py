"""Developer machine: `make run`. Starts the embedded PostgreSQL when DATABASE_URL is unset."""

from eoffice.settings.base import *  # noqa: F403
from eoffice.settings.base import DATABASE_URL, DEMO_PORT, VAR_DIR, database_settings, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="local-development-only-not-a-secret")

if not DATABASE_URL:
    from eoffice.embedded_db import embedded_database_url

    DATABASES = database_settings(embedded_database_url(VAR_DIR / "postgres"))

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
SITE_PORT = DEMO_PORT  # links in e-mails reach the development server
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOG_FORMAT = env.str("LOG_FORMAT", default="console")
# Static files straight from frontend/dist; no collectstatic needed.
STATIC_ROOT = None  # type: ignore[assignment]
WHITENOISE_USE_FINDERS = True
