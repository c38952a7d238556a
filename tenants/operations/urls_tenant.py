"""The regency admin's export pages at /ekspor/ on the tenant's host."""

from django.urls import path

from tenants.operations import views

app_name = "operations-export"

urlpatterns = [
    path("", views.export_page, name="page"),
    path("unduh/<str:token>/", views.export_download, name="download"),
]
