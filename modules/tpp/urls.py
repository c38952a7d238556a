from django.urls import path

from modules.tpp import apis, views

urlpatterns = [
    path("", views.index, name="index"),
    path("hitung/", views.hitung, name="hitung"),
    path("periode/<int:tahun>/<int:bulan>/", views.periode, name="periode"),
    path("periode/<int:tahun>/<int:bulan>/opd/<int:opd_id>/", views.periode_opd, name="periode_opd"),
    path("periode/<int:tahun>/<int:bulan>/opd/<int:opd_id>/rekap.pdf", views.rekap_pdf, name="rekap_pdf"),
    path("periode/<int:tahun>/<int:bulan>/kunci/", views.kunci, name="kunci"),
    path("periode/<int:tahun>/<int:bulan>/buka-kembali/", views.buka_kembali, name="buka_kembali"),
    path("periode/<int:tahun>/<int:bulan>/tutup-presensi/", views.tutup_presensi, name="tutup_presensi"),
    path("periode/<int:tahun>/<int:bulan>/payroll.xlsx", views.payroll_xlsx, name="payroll_xlsx"),
    path("slip/<int:baris_id>/", views.slip, name="slip"),
    path("kinerja/", views.kinerja, name="kinerja"),
    path("kinerja/impor/", views.kinerja_impor, name="kinerja_impor"),
    path("serapan/", views.serapan, name="serapan"),
    path("perbup/", views.perbup, name="perbup"),
    path("perbup/baru/", views.perbup_baru, name="perbup_baru"),
    path("hukdis/", views.hukdis, name="hukdis"),
]

api_urlpatterns = [
    path("perbup/", apis.PerbupListApi.as_view(), name="perbup"),
    path("periode/", apis.PeriodeListApi.as_view(), name="periode"),
    path("periode/<int:tahun>/<int:bulan>/rekap/", apis.RekapApi.as_view(), name="rekap"),
    path("periode/<int:tahun>/<int:bulan>/baris/", apis.BarisListApi.as_view(), name="baris"),
    path("periode/<int:tahun>/<int:bulan>/kunci/", apis.KunciApi.as_view(), name="kunci"),
    path("periode/<int:tahun>/<int:bulan>/buka-kembali/", apis.BukaKembaliApi.as_view(), name="buka-kembali"),
    path(
        "periode/<int:tahun>/<int:bulan>/tutup-presensi/",
        apis.TutupPresensiApi.as_view(),
        name="tutup-presensi",
    ),
    path("slip/<int:baris_id>/", apis.SlipApi.as_view(), name="slip"),
    path("kinerja/", apis.KinerjaApi.as_view(), name="kinerja"),
    path("serapan/", apis.SerapanApi.as_view(), name="serapan"),
    path("hukdis/", apis.HukdisApi.as_view(), name="hukdis"),
]
