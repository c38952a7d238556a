from django.urls import path

from eoffice.notifications import apis, views

urlpatterns = [
    path("", views.daftar, name="daftar"),
    path("<int:pk>/buka/", views.buka, name="buka"),
    path("baca-semua/", views.baca_semua, name="baca_semua"),
]

api_urlpatterns = [
    path("", apis.NotifikasiListApi.as_view(), name="daftar"),
    path("<int:pk>/baca/", apis.NotifikasiBacaApi.as_view(), name="baca"),
    path("baca-semua/", apis.NotifikasiBacaSemuaApi.as_view(), name="baca-semua"),
]
