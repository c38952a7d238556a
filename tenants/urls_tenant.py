"""A regency's own host: settings pages at /pengaturan/, API at /api/v1/pengaturan/."""

from django.urls import path

from tenants import apis, views_settings

app_name = "pengaturan"

urlpatterns = [
    path("", views_settings.settings_page, name="settings"),
    path("mulai/", views_settings.welcome, name="welcome"),
    path("masuk/<str:token>/", views_settings.handover_login, name="handover"),
    path("dukungan/<str:token>/", views_settings.support_access, name="support"),
    path("riwayat/<int:version>/kembalikan/", views_settings.settings_revert, name="revert"),
    path("terbitkan/", views_settings.settings_publish, name="publish"),
    path("adopsi/", views_settings.settings_adopt, name="adopt"),
]

api_urlpatterns = [
    path("", apis.ConfigApi.as_view(), name="config"),
    path("versi/", apis.ConfigHistoryApi.as_view(), name="history"),
    path("versi/<int:version>/kembalikan/", apis.ConfigRevertApi.as_view(), name="revert"),
    path("adopsi/", apis.ConfigAdoptApi.as_view(), name="adopt"),
]
