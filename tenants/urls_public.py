"""Root host: onboarding ("Daftarkan daerah Anda") and the operator console."""

from django.urls import path

from tenants import views_console, views_onboarding

urlpatterns = [
    path("daftar/", views_onboarding.onboarding_start, name="onboarding-start"),
    path("daftar/terkirim/", views_onboarding.onboarding_sent, name="onboarding-sent"),
    path("daftar/verifikasi/<str:token>/", views_onboarding.onboarding_verify, name="onboarding-verify"),
    path("daftar/status/<uuid:public_id>/", views_onboarding.onboarding_progress, name="onboarding-progress"),
    path(
        "daftar/status/<uuid:public_id>/bagian/",
        views_onboarding.onboarding_progress_partial,
        name="onboarding-progress-partial",
    ),
    path("operator/", views_console.console_tenants, name="console-tenants"),
    path("operator/daerah/<int:tenant_id>/", views_console.console_tenant_detail, name="console-tenant"),
    path(
        "operator/daerah/<int:tenant_id>/status/",
        views_console.console_tenant_status,
        name="console-tenant-status",
    ),
    path(
        "operator/daerah/<int:tenant_id>/dukungan/",
        views_console.console_impersonate,
        name="console-impersonate",
    ),
    path("operator/pendaftaran/", views_console.console_registrations, name="console-registrations"),
    path(
        "operator/pendaftaran/<int:registration_id>/",
        views_console.console_registration_action,
        name="console-registration-action",
    ),
    path("operator/pengaturan/", views_console.console_platform_settings, name="console-platform-settings"),
]
