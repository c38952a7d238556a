"""Settings shared by every environment. Every knob comes from the environment (see README)."""

from pathlib import Path

import environ

from eoffice.settings.apps import SHARED_APPS, TENANT_APPS

BASE_DIR = Path(__file__).resolve().parents[3]
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)

# Hosts are checked by tenant routing: an unknown host gets a 404 before any view runs, and
# custom regency domains are added at run time, so a static allow-list cannot work here.
ALLOWED_HOSTS = ["*"]
# The root domain of the platform: tenants live on <subdomain>.<ROOT_DOMAIN>.
ROOT_DOMAIN = env.str("ROOT_DOMAIN", default="localhost")

INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]
TENANT_MODEL = "tenants.Tenant"
TENANT_DOMAIN_MODEL = "tenants.Domain"
TENANT_LIMIT_SET_CALLS = True
PUBLIC_SCHEMA_URLCONF = "eoffice.urls_public"
ROOT_URLCONF = "eoffice.urls_tenant"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tenants.middleware.TenantRoutingMiddleware",
    "eoffice.core.middleware.RequestContextMiddleware",
    "tenants.middleware.TenantStatusMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "eoffice.accounts.middleware.MfaRequiredMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "frontend" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "eoffice.core.context_processors.platform",
            ],
        },
    }
]

WSGI_APPLICATION = "eoffice.wsgi.application"
ASGI_APPLICATION = "eoffice.asgi.application"

DATABASE_URL = env.str("DATABASE_URL", default="")


def database_settings(url: str) -> dict[str, dict]:
    """The one database, routed per tenant by django-tenants through our backend."""
    config = environ.Env.db_url_config(url)
    config.update(
        {
            "ENGINE": "eoffice.core.db",
            # Persistent connections: a tenant request must not pay for a new connection.
            "CONN_MAX_AGE": env.int("DB_CONN_MAX_AGE", default=300),
            # A `SELECT 1` before reusing a connection in each request; off where a pooler or a
            # reliable network makes broken connections rare.
            "CONN_HEALTH_CHECKS": env.bool("DB_CONN_HEALTH_CHECKS", default=True),
        }
    )
    return {"default": config}


DATABASES = database_settings(DATABASE_URL) if DATABASE_URL else {}
DATABASE_ROUTERS = ("django_tenants.routers.TenantSyncRouter",)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
# Shared by the web server, worker and beat: tenant routing invalidation must reach every process,
# which a per-process memory cache cannot do (a file cache does on one machine).
_CACHE_STORE = (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
    }
)
CACHES = {
    # Keys carry the active schema, so nothing cached for one regency (rate limits, sessions,
    # module data) is ever read by another.
    "default": {**_CACHE_STORE, "KEY_FUNCTION": "django_tenants.cache.make_key"},
    # Platform-wide keys (the tenant routing generation), the same whatever schema is active.
    "platform": {**_CACHE_STORE, "KEY_PREFIX": "platform"},
}
# The host→tenant map is re-validated against the shared cache at most this often per process.
TENANT_ROUTING_CHECK_SECONDS = env.float("TENANT_ROUTING_CHECK_SECONDS", default=1.0)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "eoffice.accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "eoffice.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "eoffice.accounts.forms.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
# "Berhasil masuk sebagai <nama>": people, not NIPs, in messages.
ACCOUNT_USER_DISPLAY = "eoffice.accounts.models.user_display"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "e-Office Nusantara"
# Admin pemda, admin OPD and platform operators must set up TOTP before using the app.
MFA_ENFORCE_FOR_ADMINS = env.bool("MFA_ENFORCE_FOR_ADMINS", default=True)

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "eoffice.accounts.axes.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "errors/lockout.html"

# Sessions are read from the cache (schema-prefixed keys, Redis in production) and written
# through to the regency's table: signing a user in on every check-in of the morning surge costs
# no query for the session.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
CSRF_FAILURE_VIEW = "eoffice.core.views.csrf_failure"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Jakarta"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "frontend" / "dist"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="e-Office Nusantara <noreply@localhost>")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "eoffice.core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "eoffice.core.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "eoffice.core.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "e-Office Nusantara API",
    "DESCRIPTION": "REST API of one regency's e-Office. Every path lives on the regency's own host.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a `jenis` or `status` with its own choices; name each enum after its model.
    "ENUM_NAME_OVERRIDES": {
        "UnitJenisEnum": "modules.kepegawaian.models.Unit.Jenis",
        "JabatanJenisEnum": "modules.kepegawaian.models.Jabatan.Jenis",
        "RiwayatGajiJenisEnum": "modules.kepegawaian.models.RiwayatGaji.Jenis",
        "PegawaiStatusEnum": "modules.kepegawaian.models.Pegawai.Status",
    },
}

# Celery: tasks carry their tenant's schema (tenant-schemas-celery).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=f"file://{VAR_DIR / 'celery' / 'results'}")
# The server-less broker (filesystem://) passes messages through a folder every process shares.
CELERY_FILESYSTEM_FOLDER = env.str("CELERY_FILESYSTEM_FOLDER", default=str(VAR_DIR / "celery" / "queue"))
CELERY_BROKER_TRANSPORT_OPTIONS: dict = (
    {
        "data_folder_in": CELERY_FILESYSTEM_FOLDER,
        "data_folder_out": CELERY_FILESYSTEM_FOLDER,
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    else {}
)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "documents.*": {"queue": "documents"},
    "imports.*": {"queue": "imports"},
    "billing.*": {"queue": "billing"},
}
CELERY_BEAT_SCHEDULER = "tenant_schemas_celery.scheduler:TenantAwareScheduler"
CELERY_TIMEZONE = "UTC"

SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default="local")
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOG_FORMAT = env.str("LOG_FORMAT", default="json")
LOGGING_CONFIG = None  # configured by eoffice.core.observability at start-up

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Archived tenants are read-only; signing in and out and choosing a language still work, and the
# regency admin can still take the final export before deletion.
READ_ONLY_EXEMPT_PATHS = ("/accounts/login/", "/accounts/logout/", "/i18n/", "/ekspor/")
DEMO_PORT = env.int("PORT", default=8000)
# The port in addresses that e-mails carry (a message has no request to take it from); none
# behind the usual HTTPS proxy, the development server's under `make run` (local settings).
SITE_PORT: int | None = None

# Tenant operations (tenants/operations): backups, restores and exports per tenant.
# PostgreSQL client programs matching the server; empty: those shipped with the embedded server.
PG_BIN_DIR = env.str("PG_BIN_DIR", default="")
# S3-compatible object storage for backups and exports; with no bucket, a local folder is used.
TENANT_BACKUP_BUCKET = env.str("TENANT_BACKUP_BUCKET", default="")
TENANT_BACKUP_S3_ENDPOINT_URL = env.str("TENANT_BACKUP_S3_ENDPOINT_URL", default="")
TENANT_BACKUP_S3_REGION = env.str("TENANT_BACKUP_S3_REGION", default="us-east-1")
TENANT_BACKUP_S3_ACCESS_KEY_ID = env.str("TENANT_BACKUP_S3_ACCESS_KEY_ID", default="")
TENANT_BACKUP_S3_SECRET_ACCESS_KEY = env.str("TENANT_BACKUP_S3_SECRET_ACCESS_KEY", default="")
TENANT_BACKUP_LOCAL_DIR = env.path("TENANT_BACKUP_LOCAL_DIR", default=str(VAR_DIR / "backups"))
TENANT_BACKUP_RETENTION_DAYS = env.int("TENANT_BACKUP_RETENTION_DAYS", default=30)
TENANT_BACKUP_RETRIES = env.int("TENANT_BACKUP_RETRIES", default=3)
TENANT_BACKUP_INTERVAL_HOURS = env.int("TENANT_BACKUP_INTERVAL_HOURS", default=24)
TENANT_EXPORT_LINK_HOURS = env.int("TENANT_EXPORT_LINK_HOURS", default=48)
