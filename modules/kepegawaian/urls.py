from django.urls import path, register_converter

from modules.kepegawaian import apis, views


class JenisConverter:
    regex = "pegawai|unit"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class FormatConverter(JenisConverter):
    regex = "xlsx|csv"


register_converter(JenisConverter, "jenis")
register_converter(FormatConverter, "fmt")

urlpatterns = [
    path("", views.pegawai_list, name="pegawai-list"),
    path("pegawai/baru/", views.pegawai_baru, name="pegawai-baru"),
    path("pegawai/<int:pk>/", views.pegawai_detail, name="pegawai-detail"),
    path("pegawai/<int:pk>/ubah/", views.pegawai_ubah, name="pegawai-ubah"),
    path("pegawai/<int:pk>/riwayat/", views.pegawai_riwayat, name="pegawai-riwayat"),
    path("mutasi/", views.mutasi_page, name="mutasi"),
    path("peran/", views.peran_page, name="peran"),
    path("profil/", views.profil_saya, name="profil"),
    path("profil/ajukan/", views.perubahan_ajukan, name="perubahan-ajukan"),
    path("unit/", views.unit_tree, name="unit-tree"),
    path("perubahan/", views.perubahan_list, name="perubahan-list"),
    path("perubahan/<int:pk>/putuskan/", views.perubahan_putuskan, name="perubahan-putuskan"),
    path("impor/", views.impor, name="impor"),
    path("impor/pratinjau/", views.impor_pratinjau, name="impor-pratinjau"),
    path("impor/<uuid:pk>/terapkan/", views.impor_terapkan, name="impor-terapkan"),
    path("templat/<jenis:jenis>.<fmt:fmt>", views.templat, name="templat"),
    path("ekspor/<jenis:jenis>.<fmt:fmt>", views.ekspor, name="ekspor"),
]

api_urlpatterns = [
    path("units/", apis.UnitListApi.as_view(), name="unit-list"),
    path("units/<int:pk>/", apis.UnitDetailApi.as_view(), name="unit-detail"),
    path("units/<int:pk>/move/", apis.UnitMoveApi.as_view(), name="unit-move"),
    path("jabatan/", apis.JabatanListApi.as_view(), name="jabatan-list"),
    path("jabatan/<int:pk>/", apis.JabatanDetailApi.as_view(), name="jabatan-detail"),
    path("pegawai/", apis.PegawaiListApi.as_view(), name="pegawai-list"),
    path("pegawai/<int:pk>/", apis.PegawaiDetailApi.as_view(), name="pegawai-detail"),
    path("pegawai/<int:pk>/riwayat-pangkat/", apis.RiwayatPangkatApi.as_view(), name="riwayat-pangkat"),
    path("pegawai/<int:pk>/riwayat-jabatan/", apis.RiwayatJabatanApi.as_view(), name="riwayat-jabatan"),
    path("pegawai/<int:pk>/riwayat-gaji/", apis.RiwayatGajiApi.as_view(), name="riwayat-gaji"),
    path("pegawai/<int:pk>/akun/", apis.PegawaiAkunApi.as_view(), name="pegawai-akun"),
    path("peran/", apis.PeranApi.as_view(), name="peran"),
    path("profil/", apis.ProfilSayaApi.as_view(), name="profil"),
    path("perubahan-profil/", apis.PerubahanProfilListApi.as_view(), name="perubahan-list"),
    path(
        "perubahan-profil/<int:pk>/putuskan/",
        apis.PerubahanProfilPutuskanApi.as_view(),
        name="perubahan-putuskan",
    ),
    path("mutasi/", apis.MutasiListApi.as_view(), name="mutasi-list"),
    path("mutasi/lepas/", apis.MutasiLepasApi.as_view(), name="mutasi-lepas"),
    path("mutasi/terima/", apis.MutasiTerimaApi.as_view(), name="mutasi-terima"),
    path("import/<jenis:jenis>/preview/", apis.ImportPreviewApi.as_view(), name="import-preview"),
    path("import/<jenis:jenis>/apply/", apis.ImportApplyApi.as_view(), name="import-apply"),
    path("template/<jenis:jenis>.<fmt:fmt>", apis.TemplateApi.as_view(), name="template"),
    path("export/<jenis:jenis>.<fmt:fmt>", apis.ExportApi.as_view(), name="export"),
]
