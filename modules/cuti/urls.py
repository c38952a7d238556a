from django.urls import path

from modules.cuti import apis, views

urlpatterns = [
    path("", views.daftar, name="daftar"),
    path("persetujuan/", views.persetujuan, name="persetujuan"),
    path("<int:pk>/putus/", views.putus, name="putus"),
    path("<int:pk>/batal/", views.batal, name="batal"),
    path("<int:pk>/lampiran/", views.lampiran, name="lampiran"),
]

api_urlpatterns = [
    path("saldo/", apis.SaldoApi.as_view(), name="saldo"),
    path("permohonan/", apis.PermohonanApi.as_view(), name="permohonan"),
    path("permohonan/<int:pk>/putus/", apis.PutusApi.as_view(), name="putus"),
    path("permohonan/<int:pk>/batal/", apis.BatalApi.as_view(), name="batal"),
]
