"""Which apps live in the public schema, which in every tenant schema (django-tenants)."""

_BOTH = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "eoffice.accounts",
    "eoffice.audit",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
]

SHARED_APPS = [
    "django_tenants",
    "tenants",
    "tenants.operations",
    "eoffice.core",
    "eoffice.nip_registry",
    *_BOTH,
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "django_celery_beat",
    "django_htmx",
]

# The e-Office modules: one Django app per module, each registering itself in
# eoffice.core.modules so tenants can enable it.
MODULE_APPS: list[str] = [
    "modules.kepegawaian",
    "modules.presensi",
    "modules.cuti",
    "modules.tpp",
    "modules.kgb",
]

# Cross-module services that keep their data in each regency's schema only.
_TENANT_SERVICES = ["eoffice.notifications"]

TENANT_APPS = [*_BOTH, *_TENANT_SERVICES, *MODULE_APPS]
