from django.urls import path

from modules.presensi import apis, views

urlpatterns = [
    path("", views.app, name="app"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service-worker"),
    path("swafoto/<int:pk>/", views.swafoto, name="swafoto"),
    path("riwayat/", views.riwayat, name="riwayat"),
    path("koreksi/", views.koreksi, name="koreksi"),
    path("koreksi/<int:pk>/putus/", views.koreksi_putus, name="koreksi-putus"),
    path("koreksi/<int:pk>/lampiran/", views.koreksi_lampiran, name="koreksi-lampiran"),
    path("lokasi/", views.lokasi, name="lokasi"),
    path("lokasi/<int:pk>/ubah/", views.lokasi_ubah, name="lokasi-ubah"),
    path("jadwal/", views.jadwal, name="jadwal"),
    path("jadwal/<int:pk>/ubah/", views.jadwal_ubah, name="jadwal-ubah"),
    path("harian/", views.harian, name="harian"),
    path("rekap/", views.rekap, name="rekap"),
]

api_urlpatterns = [
    path("checkin/", apis.CheckinApi.as_view(), name="checkin"),
    path("hari-ini/", apis.HariIniApi.as_view(), name="hari-ini"),
    path("riwayat/", apis.RiwayatApi.as_view(), name="riwayat"),
    path("koreksi/", apis.KoreksiApi.as_view(), name="koreksi"),
    path("koreksi/<int:pk>/putus/", apis.KoreksiPutusApi.as_view(), name="koreksi-putus"),
]
