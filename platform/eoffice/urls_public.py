"""Root domain: landing, onboarding, operator console, webhooks, health."""

from django.urls import include, path

from eoffice.urls_common import handler400, handler403, handler404, handler500
from eoffice.urls_common import urlpatterns as common
from tenants import urls_public as tenants_public_urls
from tenants import views_onboarding as tenants_onboarding

urlpatterns = [
    path("", tenants_onboarding.landing, name="landing"),
    *common,
    path("operator/", include("tenants.operations.urls")),
    path("", include(tenants_public_urls)),
]

__all__ = ["urlpatterns", "handler400", "handler403", "handler404", "handler500"]
