from django.urls import path

from modules.kgb import apis, views

urlpatterns = [
    path("", views.index, name="index"),
    path("pegawai/<int:pegawai_id>/draf/", views.buat_draf, name="buat_draf"),
    path("<int:kgb_id>/", views.detail, name="detail"),
    path("<int:kgb_id>/terbitkan/", views.terbitkan, name="terbitkan"),
    path("<int:kgb_id>/tunda/", views.tunda, name="tunda"),
    path("<int:kgb_id>/surat.pdf", views.surat_pdf, name="surat_pdf"),
]

api_urlpatterns = [
    path("gaji-pokok/", apis.GajiPokokApi.as_view(), name="gaji-pokok"),
    path("mendatang/", apis.MendatangApi.as_view(), name="mendatang"),
    path("<int:kgb_id>/", apis.KgbDetailApi.as_view(), name="detail"),
    path("<int:kgb_id>/terbitkan/", apis.TerbitkanApi.as_view(), name="terbitkan"),
    path("<int:kgb_id>/tunda/", apis.TundaApi.as_view(), name="tunda"),
]
