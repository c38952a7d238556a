"""A regency's host: module pages, accounts, the REST API under /api/v1/."""

from importlib import import_module

from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from eoffice.core import views as core_views
from eoffice.core.api import api_not_found
from eoffice.notifications import urls as notifikasi_urls
from eoffice.settings.apps import MODULE_APPS
from eoffice.urls_common import handler400, handler403, handler404, handler500
from eoffice.urls_common import urlpatterns as common
from tenants import urls_tenant as tenant_settings_urls


def _module_urls() -> tuple[list[URLPattern | URLResolver], list[URLPattern | URLResolver]]:
    """Each module's `urls.py` gives `urlpatterns` (pages, at /<module>/) and
    `api_urlpatterns` (REST, at /api/v1/<module>/)."""
    pages: list[URLPattern | URLResolver] = []
    api: list[URLPattern | URLResolver] = []
    for app in MODULE_APPS:
        try:
            urls = import_module(f"{app}.urls")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.urls":
                raise
            continue
        prefix = app.rsplit(".", 1)[-1]
        if getattr(urls, "urlpatterns", None):
            pages.append(path(f"{prefix}/", include((urls.urlpatterns, prefix))))
        if getattr(urls, "api_urlpatterns", None):
            api.append(path(f"{prefix}/", include((urls.api_urlpatterns, f"{prefix}-api"))))
    return pages, api


module_pages, api_v1 = _module_urls()
api_v1.insert(0, path("me/", include("eoffice.accounts.urls")))
api_v1.insert(1, path("pengaturan/", include((tenant_settings_urls.api_urlpatterns, "pengaturan-api"))))
api_v1.insert(2, path("notifikasi/", include((notifikasi_urls.api_urlpatterns, "notifikasi-api"))))

urlpatterns = [
    path("", core_views.dashboard, name="dashboard"),
    *common,
    *module_pages,
    path("notifikasi/", include((notifikasi_urls.urlpatterns, "notifikasi"))),
    path("pengaturan/", include((tenant_settings_urls.urlpatterns, "pengaturan"))),
    path("ekspor/", include("tenants.operations.urls_tenant")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    re_path(r"^api/", api_not_found),
]

__all__ = ["urlpatterns", "handler400", "handler403", "handler404", "handler500"]
